package dev.stint.web;

import dev.stint.access.AccessRequest;
import dev.stint.common.TextLimits;
import dev.stint.policy.ExtensionRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The "Extend" form of a request page: empty, or filled again with what was submitted and the
 * reason it was refused beside its field, as the new-request form ({@link RequestForm}) is, so a
 * refusal never loses what the holder typed.
 */
final class ExtensionForm {
  /** Extensions offered, up to what the profile's max_total still allows (which is offered). */
  private static final List<Duration> STEPS =
      List.of(
          Duration.ofMinutes(15),
          Duration.ofMinutes(30),
          Duration.ofHours(1),
          Duration.ofHours(2),
          Duration.ofHours(4),
          Duration.ofHours(8));

  /** The form's fields as submitted (empty for a fresh form), and why it was refused. */
  record Filled(Optional<Duration> duration, String reason, Optional<String> refusal) {
    static final Filled EMPTY = new Filled(Optional.empty(), "", Optional.empty());

    Filled refusedFor(String why) {
      return new Filled(duration, reason, Optional.of(why));
    }

    /** The control a refusal is about, or "" for the top of the form. */
    String field() {
      return refusal.map(ExtensionForm::fieldOf).orElse("");
    }

    /** On a refused field's control: marked invalid and described by the refusal beside it. */
    Html invalid(String field) {
      return at().invalid(field);
    }

    /** The refusal beside {@code field}, when it is about that field. */
    Html errorAt(String field) {
      return at().errorAt(field);
    }

    /** The refusal whatever its field, for a page that draws no form to put it beside. */
    Html errorAnywhere() {
      return at().errorAnywhere();
    }

    private FieldRefusal at() {
      return new FieldRefusal(refusal, field());
    }
  }

  private ExtensionForm() {}

  /**
   * Which control a refusal names: the length for the service's "extending by …" and the pages'
   * "choose how long …", the reason for a missing, unmatched or over-long one. Anything else (not
   * the holder, no extension rule, a CI rule's grant) is about the whole ask and goes on top.
   */
  static String fieldOf(String refusal) {
    String r = refusal.toLowerCase(Locale.ROOT);
    if (r.startsWith("extending by")
        || r.startsWith("choose how long")
        || r.startsWith("the extension must")) {
      return "ext-by";
    }
    if (r.startsWith("reason") || r.startsWith("the reason") || r.endsWith("requires a reason")) {
      return "ext-reason";
    }
    return "";
  }

  /** The form for {@code r}, offering up to {@code room} more under {@code rule}. */
  static Html of(Visitor v, AccessRequest r, ExtensionRule rule, Duration room, Filled f) {
    return Html.of(
        """
        <form method="post" action="/ui/requests/{}/extend" class="stack">{}{}
        <label for="ext-by">Extend by</label>
        <select id="ext-by" name="duration_seconds"{}>{}</select>{}
        <p class="hint">Up to {} in total{}.</p>
        <label for="ext-reason">Reason</label>
        <input id="ext-reason" name="reason" type="text" maxlength="{}" autocomplete="off" value="{}"{}>{}
        <button type="submit">Extend</button></form>""",
        r.id(),
        Layout.csrfField(v),
        f.errorAt(""),
        f.invalid("ext-by"),
        steps(room, f.duration()),
        f.errorAt("ext-by"),
        Show.duration(rule.maxTotal()),
        rule.approval() == ExtensionRule.Approval.AUTO
            ? "; applied at once"
            : "; approved like the request",
        TextLimits.MAX_TEXT,
        f.reason(),
        f.invalid("ext-reason"),
        f.errorAt("ext-reason"));
  }

  /** The steps below {@code room}, then room itself; the submitted one is selected if offered. */
  private static Html steps(Duration room, Optional<Duration> submitted) {
    List<Duration> offered =
        new ArrayList<>(STEPS.stream().filter(d -> d.compareTo(room) < 0).toList());
    offered.add(room);
    return Html.each(
        offered,
        d ->
            Html.of(
                "<option value=\"{}\"{}>{}</option>",
                d.toSeconds(),
                Html.when(submitted.filter(d::equals).isPresent(), () -> Html.of(" selected")),
                Show.duration(d)));
  }
}
