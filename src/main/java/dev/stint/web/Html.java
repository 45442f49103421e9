package dev.stint.web;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * HTML built by templates whose arguments are escaped unless they are already {@link Html}. Every
 * page is assembled with {@link #of}, so text from people (reasons, comments, names) and from the
 * IdP can only ever land in the page as text: there is no other way in.
 */
public final class Html {
  private static final Html EMPTY = new Html("");
  private final String markup;

  private Html(String markup) {
    this.markup = markup;
  }

  /**
   * {@code template} is trusted markup (a literal in this package); each {@code {}} is replaced by
   * the next argument, escaped for text and attribute values alike.
   */
  public static Html of(String template, Object... args) {
    StringBuilder out = new StringBuilder(template.length() + 64 * args.length);
    int from = 0;
    int used = 0;
    for (int at = template.indexOf("{}"); at >= 0; at = template.indexOf("{}", from)) {
      if (used == args.length) {
        throw new IllegalArgumentException("template has more {} than arguments: " + template);
      }
      out.append(template, from, at);
      Object arg = args[used++];
      out.append(arg instanceof Html h ? h.markup : escape(String.valueOf(arg)));
      from = at + 2;
    }
    if (used != args.length) {
      throw new IllegalArgumentException("template has fewer {} than arguments: " + template);
    }
    return new Html(out.append(template, from, template.length()).toString());
  }

  public static Html empty() {
    return EMPTY;
  }

  /** Joins fragments made from each item. */
  public static <T> Html each(List<T> items, Function<T, Html> fragment) {
    StringBuilder out = new StringBuilder();
    items.forEach(i -> out.append(fragment.apply(i).markup));
    return new Html(out.toString());
  }

  /** {@code fragment} when {@code condition} holds, else nothing. */
  public static Html when(boolean condition, Supplier<Html> fragment) {
    return condition ? fragment.get() : EMPTY;
  }

  /**
   * Escapes for element text and quoted attribute values: the five characters that can end either,
   * plus the backtick (old IE attribute quirks) — safe wherever a template puts it.
   */
  public static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        case '`' -> out.append("&#96;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return markup;
  }
}
