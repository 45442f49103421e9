package dev.stint.access;

import dev.stint.common.Durations;
import dev.stint.common.TextLimits;
import dev.stint.error.StintException;
import dev.stint.policy.FilingRights;
import dev.stint.policy.Profile;
import dev.stint.policy.ReasonRule;
import java.time.Duration;
import java.time.Instant;

/**
 * The checks on a new request that do not depend on who asks: duration within the profile's maximum
 * (refused above it, never shortened), reason rules, schedule and break-glass shape.
 */
final class RequestChecks {
  static final Duration MIN_DURATION = Duration.ofMinutes(1);

  /** Clock skew between a laptop and the server; a start further in the past is a mistake. */
  static final Duration START_SKEW = Duration.ofMinutes(5);

  static final int MAX_TICKET = 200;

  private RequestChecks() {}

  static void validate(NewRequest r, Profile profile, AccessSettings settings, Instant now) {
    if (r.duration().compareTo(MIN_DURATION) < 0) {
      throw StintException.invalid("duration must be at least " + Durations.format(MIN_DURATION));
    }
    if (r.duration().compareTo(profile.maxDuration()) > 0) {
      throw StintException.invalid(
          "duration "
              + Durations.format(r.duration())
              + " exceeds the maximum of "
              + Durations.format(profile.maxDuration())
              + " for profile "
              + profile.name());
    }
    reason(r, profile.reason());
    if (r.ticket().map(t -> t.length() > MAX_TICKET).orElse(false)) {
      throw StintException.invalid("ticket is longer than " + MAX_TICKET + " characters");
    }
    r.startsAt().ifPresent(start -> schedule(start, settings, now));
    if (r.breakGlass()) {
      breakGlass(r, profile);
    }
  }

  private static void reason(NewRequest r, ReasonRule rule) {
    if (r.reason().length() > TextLimits.MAX_TEXT) {
      throw StintException.invalid("reason is longer than " + TextLimits.MAX_TEXT + " characters");
    }
    if (rule.required() && r.reason().isBlank()) {
      throw StintException.invalid("a reason is required for this profile");
    }
    rule.pattern()
        .ifPresent(
            p -> {
              if (!p.matcher(r.reason()).find()) {
                throw StintException.invalid("reason must match " + p.pattern());
              }
            });
  }

  private static void schedule(Instant start, AccessSettings settings, Instant now) {
    if (start.isBefore(now.minus(START_SKEW))) {
      throw StintException.invalid("starts_at is in the past");
    }
    if (start.isAfter(now.plus(settings.maxScheduleAhead()))) {
      throw StintException.invalid(
          "starts_at is more than " + Durations.format(settings.maxScheduleAhead()) + " ahead");
    }
  }

  private static void breakGlass(NewRequest r, Profile profile) {
    FilingRights.mayBreakGlass(profile).orRefuse();
    if (r.reason().isBlank()) {
      throw StintException.invalid("break-glass needs a reason");
    }
    if (r.startsAt().isPresent()) {
      throw StintException.invalid("break-glass starts now; it cannot be scheduled");
    }
  }
}
