package dev.stint.standin;

/** Text placed in an element of an AWS answer. */
public final class Xml {
  private Xml() {}

  public static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;")
        .replace("'", "&apos;");
  }
}
