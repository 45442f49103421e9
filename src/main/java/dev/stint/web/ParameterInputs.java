package dev.stint.web;

import dev.stint.common.ParameterPatterns;
import dev.stint.common.ParameterValues;
import dev.stint.identity.Principal;
import dev.stint.policy.AllowedValues;
import dev.stint.policy.Parameter;
import dev.stint.policy.Profile;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A narrowed profile's parameters on the new-request form: an input for each, labelled by its name,
 * described by its description and its pattern, or a choice among the values the policy lets the
 * visitor give. The form has no script, so every profile's inputs are drawn and only the chosen
 * profile's are read when it is posted; what each value may be is the filing's to check, as for the
 * API.
 */
final class ParameterInputs {
  /**
   * The field a refusal about the parameters is drawn beside (see {@link
   * FilledRequestForm#fieldOf}).
   */
  static final String FIELD = "parameters";

  private ParameterInputs() {}

  /** The posted values for {@code profile}'s parameters; a blank one is left out, as not given. */
  static ParameterValues posted(RoutingContext ctx, String profile) {
    String prefix = name(profile, "");
    Map<String, String> values = new TreeMap<>();
    for (String field : ctx.request().formAttributes().names()) {
      // Only what a parameter could be named: no other field's name reaches a refusal or the audit.
      if (field.startsWith(prefix)
          && ParameterPatterns.NAME.matcher(field.substring(prefix.length())).matches()) {
        PostedForm.field(ctx, field)
            .ifPresent(v -> values.put(field.substring(prefix.length()), v));
      }
    }
    return ParameterValues.of(values);
  }

  /** Nothing for a profile without parameters. */
  static Html of(Profile p, Principal who, Instant now, FilledRequestForm f) {
    if (p.parameters().isEmpty()) {
      return Html.empty();
    }
    boolean chosen = p.name().equals(f.profile());
    return Html.of(
        """
        <fieldset class="parameters"><legend>Parameters of {} (read only when it is chosen)</legend>{}
        {}</fieldset>""",
        p.name(),
        Html.when(chosen, () -> f.errorAt(FIELD)),
        Html.each(
            List.copyOf(p.parameters().values()),
            param ->
                input(
                    p.name(),
                    param,
                    param.allowedFor(who, now),
                    chosen ? f.parameters() : ParameterValues.NONE,
                    chosen && f.field().equals(FIELD))));
  }

  private static Html input(
      String profile,
      Parameter param,
      AllowedValues.Result allowed,
      ParameterValues given,
      boolean refused) {
    String id = "param-" + profile + "-" + param.name();
    String value = given.values().getOrDefault(param.name(), "");
    Html described =
        refused
            ? Html.of(" aria-invalid=\"true\" aria-describedby=\"err-{} hint-{}\"", FIELD, id)
            : Html.of(" aria-describedby=\"hint-{}\"", id);
    boolean choose = param.values().isPresent() && allowed.error().isEmpty();
    Html control =
        choose
            ? Html.of(
                "<select id=\"{}\" name=\"{}\"{}><option value=\"\">Choose…</option>{}</select>",
                id,
                name(profile, param.name()),
                described,
                Html.each(
                    allowed.values(),
                    v ->
                        Html.of(
                            "<option value=\"{}\"{}>{}</option>",
                            v,
                            Html.when(v.equals(value), () -> Html.of(" selected")),
                            v)))
            : Html.of(
                "<input id=\"{}\" name=\"{}\" type=\"text\" autocomplete=\"off\" spellcheck=\"false\""
                    + " value=\"{}\"{}>",
                id,
                name(profile, param.name()),
                value,
                described);
    return Html.of(
        "<label for=\"{}\">{}</label>\n{}\n<p class=\"hint\" id=\"hint-{}\">{}{}</p>",
        id,
        param.name(),
        control,
        id,
        Html.when(!param.description().isBlank(), () -> Html.of("{} · ", param.description())),
        hint(param, allowed, choose));
  }

  private static Html hint(Parameter param, AllowedValues.Result allowed, boolean choose) {
    if (choose && allowed.values().isEmpty()) {
      return Html.of("the policy lists no value you may give");
    }
    if (choose) {
      return Html.of("one of the values the policy lets you give");
    }
    return Html.of(
        "must match <code>{}</code>{}",
        param.pattern().source(),
        Html.when(
            param.values().isPresent(),
            () -> Html.of(", and be a value the policy lets you give (it could not list them)")));
  }

  /** The form field of {@code profile}'s parameter {@code name}. */
  private static String name(String profile, String name) {
    return "param." + profile + "." + name;
  }
}
