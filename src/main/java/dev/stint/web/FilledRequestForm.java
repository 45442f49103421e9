package dev.stint.web;

import dev.stint.common.ParameterValues;
import dev.stint.policy.Profile;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The form's fields as submitted (all empty for a fresh form), and why it was refused. */
record FilledRequestForm(
    String profile,
    Optional<Duration> duration,
    String reason,
    String ticket,
    boolean breakGlass,
    ParameterValues parameters,
    Optional<String> refusal) {
  static final FilledRequestForm EMPTY =
      new FilledRequestForm(
          "", Optional.empty(), "", "", false, ParameterValues.NONE, Optional.empty());

  FilledRequestForm refusedFor(String why) {
    return new FilledRequestForm(
        profile, duration, reason, ticket, breakGlass, parameters, Optional.of(why));
  }

  /** The field a refusal is about, or "" for the top of the form. */
  String field() {
    return refusal.map(FilledRequestForm::fieldOf).orElse("");
  }

  /** On a refused field's control: marked invalid and described by the refusal beside it. */
  Html invalid(String field) {
    return at().invalid(field);
  }

  /** The refusal beside {@code field}, when it is about that field. */
  Html errorAt(String field) {
    return at().errorAt(field);
  }

  /**
   * The refusal for the top of the form: one about no field, or one about the parameters of a
   * profile whose inputs are not drawn (not offered, or declaring none), so it is never dropped.
   */
  Html errorAtTop(List<Profile> drawn) {
    boolean parametersDrawn =
        drawn.stream().anyMatch(p -> p.name().equals(profile) && !p.parameters().isEmpty());
    return field().equals(ParameterInputs.FIELD) && !parametersDrawn
        ? at().errorAnywhere()
        : errorAt("");
  }

  private FieldRefusal at() {
    return new FieldRefusal(refusal, field());
  }

  /**
   * Which field a refusal names. The service's messages start with, or name, the field they are
   * about ("reason must match …", "duration 3h exceeds …"); one that names none, or is reworded
   * past recognition, is shown at the top of the form instead, never dropped.
   */
  static String fieldOf(String refusal) {
    String r = refusal.toLowerCase(Locale.ROOT);
    // First: a parameter may be named like another field ("reason", "duration").
    if (r.startsWith("parameters of profile")
        || r.startsWith("you may give parameter")
        || r.startsWith("the values you may give parameter")) {
      return ParameterInputs.FIELD;
    }
    if (r.startsWith("duration") || r.contains("choose a duration")) {
      return "duration";
    }
    if (r.contains("break-glass")) {
      return "break_glass";
    }
    if (r.contains("reason")) {
      return "reason";
    }
    if (r.startsWith("ticket")) {
      return "ticket";
    }
    return r.contains("profile") ? "profile" : "";
  }
}
