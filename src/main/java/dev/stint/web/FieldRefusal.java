package dev.stint.web;

import java.util.Optional;

/**
 * A refused form's refusal and the control it is about ("" for the top of the form): the refusal is
 * drawn beside that control, which is marked invalid and described by it, so a screen reader says
 * why the field was refused.
 */
record FieldRefusal(Optional<String> refusal, String field) {
  /** On a refused field's control: marked invalid and described by the refusal beside it. */
  Html invalid(String control) {
    return Html.when(
        about(control),
        () -> Html.of(" aria-invalid=\"true\" aria-describedby=\"err-{}\"", control));
  }

  /** The refusal beside {@code control}, when it is about that control. */
  Html errorAt(String control) {
    return Html.when(
        about(control),
        () ->
            Html.of(
                "<p class=\"error\" id=\"err-{}\" role=\"alert\">{}</p>", control, refusal.get()));
  }

  /** The refusal whatever its field, for a page that draws no form to put it beside. */
  Html errorAnywhere() {
    return Html.when(
        refusal.isPresent(),
        () -> Html.of("<p class=\"error\" role=\"alert\">{}</p>", refusal.get()));
  }

  private boolean about(String control) {
    return refusal.isPresent() && field.equals(control);
  }
}
