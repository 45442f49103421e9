package dev.stint.notify;

/**
 * Supplied text made inert for an Adaptive Card TextBlock, which Teams reads as a Markdown subset:
 * {@code [label](url)} links, {@code **bold**} / {@code *italic*} / {@code _italic_}, and lists at
 * the start of a line.
 *
 * <p>Backslash escapes are not used: Teams clients honour them inconsistently (some show the
 * backslash, some still apply the markup), so an escaped link could still render as a link. Instead
 * each markup character becomes a look-alike no Markdown reads as markup — {@code [ ]} as {@code ［
 * ］}, {@code *} as {@code ∗}, {@code _} as {@code ＿} — which reads the same to people on every
 * client. Line breaks and other control characters become spaces, so a value never starts a line (a
 * list item, a paragraph) of its own; values follow a label on their line.
 */
final class TeamsText {
  /** Longer values are cut, with an ellipsis; a card has a size limit and people a patience one. */
  static final int MAX_VALUE = 300;

  private TeamsText() {}

  /** A supplied value, cut short first (so nothing is left half replaced), then made inert. */
  static String value(String supplied) {
    String cut = supplied.length() > MAX_VALUE ? supplied.substring(0, MAX_VALUE) + "…" : supplied;
    StringBuilder out = new StringBuilder(cut.length());
    for (int i = 0; i < cut.length(); i++) {
      char c = cut.charAt(i);
      switch (c) {
        case '[' -> out.append('［');
        case ']' -> out.append('］');
        case '*' -> out.append('∗');
        case '_' -> out.append('＿');
        case '\r' -> {
          out.append(' ');
          if (i + 1 < cut.length() && cut.charAt(i + 1) == '\n') {
            i++;
          }
        }
        default ->
            out.append(Character.isISOControl(c) || c == '\u2028' || c == '\u2029' ? ' ' : c);
      }
    }
    return out.toString();
  }
}
