package dev.stint.cli.review;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.stint.cli.CliException;
import dev.stint.cli.Table;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * How access reviews look on a terminal (a table of reviews; one review's header and a row per
 * person) and to scripts (the server's JSON, unchanged). Everything printed came from the server,
 * so it goes through {@link Table#sanitize}.
 */
final class ReviewPrinter {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ReviewPrinter() {}

  static void json(PrintStream out, JsonNode node) {
    try {
      out.println(JSON.writeValueAsString(node));
    } catch (IOException e) {
      throw new CliException(CliException.FAILED, "cannot print JSON: " + e.getMessage());
    }
  }

  /** One row per review, newest first as the server lists them. */
  static void table(PrintStream out, JsonNode reviews) {
    Table table = new Table("ID", "PROFILE", "STATE", "DUE", "DECIDED");
    for (JsonNode r : reviews) {
      table.row(
          r.path("id").asText(),
          r.path("profile").asText(),
          r.path("state").asText(),
          r.path("due_at").asText(),
          decided(r));
    }
    table.print(out);
  }

  /** The review's fields, then one row per person. */
  static void details(PrintStream out, JsonNode review) {
    header(out, review);
    out.println();
    people(out, review);
  }

  /** What the review is of, when it was opened and is due, and how far it has come. */
  static void header(PrintStream out, JsonNode review) {
    line(out, "review", review.path("id").asText() + " of " + review.path("profile").asText());
    line(
        out,
        "state",
        review.path("state").asText()
            + (review.hasNonNull("closed_at") ? " at " + review.path("closed_at").asText() : ""));
    line(
        out,
        "opened",
        review.path("opened_at").asText() + " by " + person(review.path("opened_by")));
    line(
        out,
        "due",
        review.path("due_at").asText()
            + " (undecided then: "
            + review.path("when_overdue").asText()
            + ")");
    if (review.hasNonNull("period_start")) {
      line(out, "usage since", review.path("period_start").asText());
    }
    line(
        out,
        "decided",
        decided(review)
            + " (kept "
            + review.path("kept").asInt()
            + ", removed "
            + review.path("removed").asInt()
            + ")");
  }

  /**
   * One row per person, each named as {@code decide} takes them: what they were eligible by, what
   * they did with it, the suggestion and the decision.
   */
  static void people(PrintStream out, JsonNode review) {
    JsonNode items = review.path("items");
    if (items.isEmpty()) {
      out.println("no one was eligible for " + Table.sanitize(review.path("profile").asText()));
      return;
    }
    ReviewPeople people = ReviewPeople.of(review);
    Table table =
        new Table(
            "WHO",
            "ELIGIBLE BY",
            "GRANTS",
            "LAST MINTED",
            "CALLS",
            "UNUSED",
            "SUGGESTION",
            "DECISION");
    for (int k = 0; k < items.size(); k++) {
      JsonNode i = items.get(k);
      table.row(
          people.label(people.items().get(k)),
          eligibleBy(i.path("eligible_by")),
          i.path("grants").asText(),
          i.hasNonNull("last_minted") ? i.path("last_minted").asText() : "never",
          i.path("calls").asText(),
          unused(i),
          i.path("suggestion").path("decision").asText()
              + ": "
              + i.path("suggestion").path("why").asText(),
          decision(i));
    }
    table.print(out);
  }

  /** Unused grants, and how many of them could have made calls stint cannot see. */
  static String unused(JsonNode item) {
    JsonNode unseen = item.path("unused_unseen");
    String n = item.path("unused_grants").asText();
    return unseen.isNumber() && unseen.asInt() > 0 ? n + " (" + unseen.asInt() + " unseen)" : n;
  }

  /** {@code 3/10}: how many of the review's people are decided. */
  static String decided(JsonNode review) {
    return review.path("items_decided").asInt() + "/" + review.path("items_total").asInt();
  }

  /** The rule, how the person was found to match it, and what it depends on. */
  static String eligibleBy(JsonNode by) {
    List<String> how = new ArrayList<>();
    how.add(by.path("basis").asText());
    if (!by.path("groups").isEmpty()) {
      List<String> groups = new ArrayList<>();
      by.path("groups").forEach(g -> groups.add(g.asText()));
      how.add("groups " + String.join(",", groups));
    }
    if (!by.path("conditional_on").isEmpty()) {
      List<String> conditions = new ArrayList<>();
      by.path("conditional_on").forEach(c -> conditions.add(c.asText()));
      how.add("if " + String.join(", ", conditions));
    }
    return by.path("rule").asText() + " (" + String.join("; ", how) + ")";
  }

  private static String decision(JsonNode item) {
    if (!item.hasNonNull("decision")) {
      return item.path("overdue").asBoolean()
          ? "overdue" + (item.path("suspended").asBoolean() ? ", suspended" : "")
          : "-";
    }
    return item.path("decision").asText()
        + (item.path("decided_by").isObject() ? " by " + person(item.path("decided_by")) : "")
        + (item.path("suspended").asBoolean() ? ", suspended" : "");
  }

  /** A person as the server names one: an object of issuer, subject and email, or a plain name. */
  static String person(JsonNode p) {
    if (!p.isObject()) {
      return p.isNull() || p.isMissingNode() ? "-" : p.asText();
    }
    String email = p.path("email").asText("");
    return email.isEmpty()
        ? p.path("subject").asText() + " (" + p.path("issuer").asText() + ")"
        : email;
  }

  static void line(PrintStream out, String name, String value) {
    out.println(name + ":" + " ".repeat(Math.max(1, 13 - name.length())) + Table.sanitize(value));
  }
}
