package dev.stint.review;

import java.util.List;
import java.util.Optional;

/**
 * A review as the auditor's spreadsheet takes it (RFC 4180): a header, then one row per person. A
 * cell that a spreadsheet would run as a formula ({@code =}, {@code +}, {@code -}, {@code @}, a tab
 * or a carriage return first) is written as text, with a leading apostrophe, so a subject or a
 * comment can never become one.
 */
public final class ReviewCsv {
  static final List<String> HEADER =
      List.of(
          "issuer",
          "subject",
          "email",
          "eligible_by",
          "grants",
          "last_minted",
          "calls",
          "unused_grants",
          "unused_unseen",
          "suggestion",
          "decision",
          "decided_by",
          "decided_at",
          "comment");

  private ReviewCsv() {}

  /** {@code r} with every item, as CSV text. */
  public static String of(Review r) {
    StringBuilder out = new StringBuilder();
    line(out, HEADER);
    for (ReviewItem i : r.items()) {
      Optional<ReviewItem.Decision> d = i.decision();
      line(
          out,
          List.of(
              i.person().issuer(),
              i.person().subject(),
              i.person().email().orElse(""),
              i.eligibleBy().rule(),
              Integer.toString(i.evidence().grants()),
              i.evidence().lastMinted().map(Object::toString).orElse(""),
              Long.toString(i.evidence().calls()),
              Integer.toString(i.evidence().unusedGrants()),
              i.evidence().unusedUnseen().map(Object::toString).orElse(""),
              i.suggestion().choice().code(),
              d.map(x -> x.choice().code()).orElse(""),
              d.map(ReviewCsv::decidedBy).orElse(""),
              d.map(x -> x.at().toString()).orElse(""),
              d.flatMap(ReviewItem.Decision::comment).orElse("")));
    }
    return out.toString();
  }

  private static String decidedBy(ReviewItem.Decision d) {
    return d.by().map(p -> p.issuer() + "#" + p.subject()).orElse(d.overdue() ? "overdue" : "");
  }

  private static void line(StringBuilder out, List<String> cells) {
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append(cell(cells.get(i)));
    }
    out.append("\r\n");
  }

  static String cell(String value) {
    String v = value;
    if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
      v = "'" + v;
    }
    if (v.indexOf(',') >= 0
        || v.indexOf('"') >= 0
        || v.indexOf('\n') >= 0
        || v.indexOf('\r') >= 0) {
      return '"' + v.replace("\"", "\"\"") + '"';
    }
    return v;
  }
}
