package dev.stint.review;

import dev.stint.identity.Person;
import dev.stint.review.ReviewItem.Choice;
import dev.stint.review.ReviewItem.Decision;
import dev.stint.review.ReviewItem.EligibleBy;
import dev.stint.review.ReviewItem.Evidence;
import dev.stint.review.ReviewItem.Suggestion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** An item as its row holds it. */
final class ReviewRows {
  private ReviewRows() {}

  static ReviewItem item(Row r) {
    JsonObject by = (JsonObject) r.getJson("eligible_by");
    EligibleBy eligible =
        new EligibleBy(
            by.getString("rule"),
            strings(by.getJsonArray("groups")),
            by.getString("basis"),
            strings(by.getJsonArray("conditional_on")));
    Evidence evidence =
        new Evidence(
            r.getInteger("grants"),
            Optional.ofNullable(r.getOffsetDateTime("last_minted")).map(OffsetDateTime::toInstant),
            r.getLong("calls"),
            r.getInteger("unused_grants"),
            Optional.ofNullable(r.getInteger("unused_unseen")));
    Suggestion suggestion =
        new Suggestion(
            Choice.of(r.getString("suggestion")).orElseThrow(), r.getString("suggestion_why"));
    Optional<Decision> decision =
        Optional.ofNullable(r.getString("decision"))
            .map(
                d ->
                    new Decision(
                        Choice.of(d).orElseThrow(),
                        Optional.ofNullable(r.getString("decided_by_issuer"))
                            .map(
                                i ->
                                    new Person(
                                        i, r.getString("decided_by_subject"), Optional.empty())),
                        r.getOffsetDateTime("decided_at").toInstant(),
                        Optional.ofNullable(r.getString("comment")),
                        r.getBoolean("overdue")));
    return new ReviewItem(
        new Person(
            r.getString("issuer"),
            r.getString("subject"),
            Optional.ofNullable(r.getString("email"))),
        eligible,
        evidence,
        suggestion,
        r.getBoolean("suspended"),
        decision);
  }

  private static List<String> strings(JsonArray a) {
    List<String> out = new ArrayList<>();
    if (a != null) {
      a.forEach(v -> out.add(String.valueOf(v)));
    }
    return out;
  }
}
