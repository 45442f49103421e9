package dev.stint.web;

import dev.stint.error.StintException;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Optional;

/**
 * The fields of a posted form as the pages read them: stripped text, a plausible length of time,
 * and the action a form asks for. The request and extension pages read their forms the same way.
 */
final class PostedForm {
  /** The longest length of time a form may ask for; anything longer is left out as implausible. */
  private static final Duration LONGEST = Duration.ofDays(366);

  private PostedForm() {}

  /** A form field, stripped; empty when absent or blank. */
  static Optional<String> field(RoutingContext ctx, String name) {
    return Optional.ofNullable(ctx.request().getFormAttribute(name))
        .map(String::strip)
        .filter(s -> !s.isEmpty());
  }

  /**
   * A length of time given in whole seconds; empty when it is not a whole number, not positive, or
   * longer than a year and a day, so the form comes back asking for it.
   */
  static Optional<Duration> seconds(RoutingContext ctx, String name) {
    try {
      long seconds = Long.parseLong(field(ctx, name).orElse(""));
      return seconds <= 0 || seconds > LONGEST.toSeconds()
          ? Optional.empty()
          : Optional.of(Duration.ofSeconds(seconds));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * The action a form asks for: its path's, or for the one decision form ({@code .../decide}) the
   * pressed button's {@code decision}, approve or deny and nothing else.
   */
  static String chosen(RoutingContext ctx, String pathAction) {
    if (!"decide".equals(pathAction)) {
      return pathAction;
    }
    String decision = field(ctx, "decision").orElse("");
    if (!decision.equals("approve") && !decision.equals("deny")) {
      throw StintException.invalid("choose approve or deny");
    }
    return decision;
  }
}
