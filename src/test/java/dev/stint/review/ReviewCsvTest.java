package dev.stint.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.identity.Person;
import dev.stint.policy.ReviewRule;
import dev.stint.review.ReviewItem.Choice;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The CSV an auditor opens: its header, RFC 4180 quoting, and no cell a spreadsheet runs. */
class ReviewCsvTest {
  static final Instant AT = Instant.parse("2026-11-28T10:00:00Z");
  static final String ISSUER = "https://login.example.com";

  static ReviewItem item(String subject, String email, Optional<ReviewItem.Decision> d) {
    return new ReviewItem(
        new Person(ISSUER, subject, Optional.ofNullable(email)),
        new ReviewItem.EligibleBy("requesters", List.of("sre"), "directory", List.of()),
        new ReviewItem.Evidence(2, Optional.of(AT.minusSeconds(60)), 7, 1, Optional.of(1)),
        new ReviewItem.Suggestion(Choice.KEEP, "keep"),
        false,
        d);
  }

  static Review review(List<ReviewItem> items) {
    return new Review(
        "rvw_1",
        "prod",
        Review.State.OPEN,
        AT,
        Optional.empty(),
        AT.minusSeconds(86400),
        AT.plusSeconds(86400),
        ReviewRule.WhenOverdue.KEEP,
        Optional.empty(),
        items);
  }

  @Test
  void aHeaderThenOneRowPerPersonWithTheirDecision() {
    Person reviewer = new Person(ISSUER, "sec-1", Optional.empty());
    String csv =
        ReviewCsv.of(
            review(
                List.of(
                    item("u1", "u1@example.com", Optional.empty()),
                    item(
                        "u2",
                        null,
                        Optional.of(
                            new ReviewItem.Decision(
                                Choice.REMOVE,
                                Optional.of(reviewer),
                                AT,
                                Optional.of("left, \"team\""),
                                false))),
                    item(
                        "u3",
                        null,
                        Optional.of(
                            new ReviewItem.Decision(
                                Choice.KEEP, Optional.empty(), AT, Optional.empty(), true))))));

    assertThat(csv.split("\r\n", -1))
        .containsExactly(
            "issuer,subject,email,eligible_by,grants,last_minted,calls,unused_grants,unused_unseen,"
                + "suggestion,decision,decided_by,decided_at,comment",
            ISSUER + ",u1,u1@example.com,requesters,2,2026-11-28T09:59:00Z,7,1,1,keep,,,,",
            ISSUER
                + ",u2,,requesters,2,2026-11-28T09:59:00Z,7,1,1,keep,remove,"
                + ISSUER
                + "#sec-1,2026-11-28T10:00:00Z,\"left, \"\"team\"\"\"",
            ISSUER
                + ",u3,,requesters,2,2026-11-28T09:59:00Z,7,1,1,keep,keep,overdue,"
                + "2026-11-28T10:00:00Z,",
            "");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "plain|plain",
        "a,b|`\"a,b\"`",
        "say \"hi\"|`\"say \"\"hi\"\"\"`",
        "x-y|x-y",
        "|''",
      })
  void cellsAreQuotedOnlyWhenTheyMustBe(String value, String expected) {
    assertThat(ReviewCsv.cell(value == null ? "" : value))
        .isEqualTo(expected.equals("''") ? "" : expected);
  }

  @Test
  void aCellStartingWithACommaAQuoteOrANewlineIsQuoted() {
    assertThat(ReviewCsv.cell(",x")).isEqualTo("\",x\"");
    assertThat(ReviewCsv.cell("\"x")).isEqualTo("\"\"\"x\"");
    assertThat(ReviewCsv.cell("\nx")).isEqualTo("\"\nx\"");
  }

  @Test
  void newlinesAndCarriageReturnsAreQuoted() {
    assertThat(ReviewCsv.cell("two\nlines")).isEqualTo("\"two\nlines\"");
    assertThat(ReviewCsv.cell("a\rb")).isEqualTo("\"a\rb\"");
  }

  @Test
  void everyFormulaLeadIsDefusedWithAnApostrophe() {
    assertThat(ReviewCsv.cell("=1+1")).isEqualTo("'=1+1");
    assertThat(ReviewCsv.cell("+cmd")).isEqualTo("'+cmd");
    assertThat(ReviewCsv.cell("-2")).isEqualTo("'-2");
    assertThat(ReviewCsv.cell("@SUM(A1)")).isEqualTo("'@SUM(A1)");
    assertThat(ReviewCsv.cell("\tx")).isEqualTo("'\tx");
    assertThat(ReviewCsv.cell("\rx")).isEqualTo("\"'\rx\"");
    assertThat(ReviewCsv.cell("=HYPERLINK(\"http://x\",\"y\")"))
        .isEqualTo("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
    assertThat(ReviewCsv.cell("a=b")).as("only a leading one").isEqualTo("a=b");
  }
}
