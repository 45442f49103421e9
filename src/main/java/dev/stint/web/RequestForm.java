package dev.stint.web;

import dev.stint.common.TextLimits;
import dev.stint.policy.Profile;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The new-request form on {@code /ui}: empty, or filled again with what was submitted and the
 * reason it was refused beside its field, so a refusal never loses what the person typed.
 */
final class RequestForm {
  /** Durations offered, up to each profile's maximum (which is always offered). */
  private static final List<Duration> DURATIONS =
      List.of(
          Duration.ofMinutes(15),
          Duration.ofMinutes(30),
          Duration.ofHours(1),
          Duration.ofHours(2),
          Duration.ofHours(4),
          Duration.ofHours(8),
          Duration.ofHours(12),
          Duration.ofDays(1));

  /** The default: short, as a least-privilege tool should be; never more than a profile allows. */
  static final Duration DEFAULT_DURATION = Duration.ofHours(1);

  private RequestForm() {}

  static Html of(Visitor v, List<Profile> profiles, FilledRequestForm f, Instant now) {
    if (profiles.isEmpty()) {
      return Html.of("<p class=\"muted\">The policies let you request no profile.</p>");
    }
    return Html.of(
        """
        <form method="post" action="/ui/requests" class="stack">
        {}{}
        <fieldset><legend>Profile</legend>{}</fieldset>{}
        <label for="duration">Duration</label>
        <select id="duration" name="duration_seconds"{}>{}</select>{}
        <p class="hint">Longer than a profile's maximum is refused.</p>
        <label for="reason">Reason</label>
        <input id="reason" name="reason" type="text" maxlength="{}" autocomplete="off" value="{}"{}>{}
        <label for="ticket">Ticket (optional)</label>
        <input id="ticket" name="ticket" type="text" maxlength="200" autocomplete="off" value="{}"{}>{}
        {}
        <button type="submit">Request access</button>
        </form>""",
        Layout.csrfField(v),
        f.errorAtTop(profiles),
        Html.each(
            profiles,
            p -> Html.of("{}{}", choice(p, f), ParameterInputs.of(p, v.principal(), now, f))),
        f.errorAt("profile"),
        f.invalid("duration"),
        durations(profiles, f.duration()),
        f.errorAt("duration"),
        TextLimits.MAX_TEXT,
        f.reason(),
        f.invalid("reason"),
        f.errorAt("reason"),
        f.ticket(),
        f.invalid("ticket"),
        f.errorAt("ticket"),
        breakGlass(profiles, f));
  }

  private static Html choice(Profile p, FilledRequestForm f) {
    return Html.of(
        """
        <div class="choice"><input type="radio" name="profile" id="p-{}" value="{}" required{}>
        <label for="p-{}"><strong>{}</strong> ({}, up to {}{}){}{}</label></div>""",
        p.name(),
        p.name(),
        Html.when(p.name().equals(f.profile()), () -> Html.of(" checked")),
        p.name(),
        p.name(),
        p.target().cloud(),
        Show.duration(p.maxDuration()),
        approvals(p),
        Html.when(
            !p.description().isBlank(),
            () -> Html.of("<br><span class=\"muted\">{}</span>", p.description())),
        reasonHint(p));
  }

  private static Html breakGlass(List<Profile> profiles, FilledRequestForm f) {
    return Html.when(
        profiles.stream().anyMatch(Profile::breakGlass),
        () ->
            Html.of(
                """
            <div class="choice"><input type="checkbox" id="break_glass" name="break_glass" value="true"{}>
            <label for="break_glass">Break-glass: use at once without approval (loudly notified,
            reviewed afterwards; only for profiles that allow it)</label></div>{}""",
                Html.when(f.breakGlass(), () -> Html.of(" checked")),
                f.errorAt("break_glass")));
  }

  private static String approvals(Profile p) {
    int n = p.approval().count();
    return ", " + n + (n == 1 ? " approval" : " approvals");
  }

  private static Html reasonHint(Profile p) {
    if (p.reason().pattern().isPresent()) {
      return Html.of(
          "<br><span class=\"hint\">Reason must match <code>{}</code>{}</span>",
          p.reason().pattern().get().pattern(),
          p.reason().required() ? " (required)" : "");
    }
    return Html.when(
        p.reason().required(), () -> Html.of("<br><span class=\"hint\">Reason required</span>"));
  }

  /**
   * The shorter of {@link #DEFAULT_DURATION} and the smallest maximum among the profiles: the form
   * has one duration for every profile, so this default is short and never refused whichever
   * profile is picked.
   */
  static Duration defaultDuration(List<Profile> profiles) {
    return profiles.stream()
        .map(Profile::maxDuration)
        .filter(max -> max.compareTo(DEFAULT_DURATION) < 0)
        .min(Duration::compareTo)
        .orElse(DEFAULT_DURATION);
  }

  /** The durations offered; the submitted one (if offered) or the default is selected. */
  static Html durations(List<Profile> profiles, Optional<Duration> submitted) {
    Duration max =
        profiles.stream().map(Profile::maxDuration).max(Duration::compareTo).orElseThrow();
    List<Duration> offered =
        new ArrayList<>(DURATIONS.stream().filter(d -> d.compareTo(max) < 0).toList());
    profiles.stream()
        .map(Profile::maxDuration)
        .distinct()
        .filter(d -> !offered.contains(d))
        .forEach(offered::add);
    offered.sort(Duration::compareTo);
    Duration preselect = submitted.filter(offered::contains).orElse(defaultDuration(profiles));
    return Html.each(
        offered,
        d ->
            Html.of(
                "<option value=\"{}\"{}>{}</option>",
                d.toSeconds(),
                d.equals(preselect) ? Html.of(" selected") : Html.empty(),
                Show.duration(d)));
  }
}
