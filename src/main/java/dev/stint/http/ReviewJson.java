package dev.stint.http;

import dev.stint.identity.Person;
import dev.stint.review.Review;
import dev.stint.review.ReviewItem;
import dev.stint.review.ReviewProgress;
import dev.stint.review.ReviewSummary;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Optional;

/** Access reviews on the wire (ARCHITECTURE §13, docs/api.md). */
public final class ReviewJson {
  private ReviewJson() {}

  /** A review with its progress and, when it carries them, its items. */
  public static JsonObject of(Review r) {
    JsonObject out = head(r, ReviewProgress.of(r));
    JsonArray items = new JsonArray();
    r.items().forEach(i -> items.add(item(i)));
    return out.put("items", items);
  }

  /** A review in a list: no items, its progress counted by the store. */
  static JsonObject of(ReviewSummary s) {
    return head(s.review(), s.progress());
  }

  private static JsonObject head(Review r, ReviewProgress p) {
    return new JsonObject()
        .put("id", r.id())
        .put("profile", r.profile())
        .put("state", r.state().code())
        .put("opened_at", r.openedAt().toString())
        .put("opened_by", r.openedBy().map(ReviewJson::person).orElse(null))
        .put("period_start", r.periodStart().toString())
        .put("due_at", r.dueAt().toString())
        .put("closed_at", r.closed().map(c -> c.at().toString()).orElse(null))
        .put("closed_how", r.closed().map(c -> c.how().code()).orElse(null))
        .put("when_overdue", r.whenOverdue().code())
        .put("items_total", p.total())
        .put("items_decided", p.decided())
        .put("kept", p.kept())
        .put("removed", p.removed());
  }

  private static JsonObject item(ReviewItem i) {
    ReviewItem.EligibleBy by = i.eligibleBy();
    Optional<ReviewItem.Decision> d = i.decision();
    return new JsonObject()
        .put("person", person(i.person()))
        .put(
            "eligible_by",
            new JsonObject()
                .put("rule", by.rule())
                .put("groups", new JsonArray(by.groups()))
                .put("basis", by.basis())
                .put("conditional_on", new JsonArray(by.conditionalOn())))
        .put("grants", i.evidence().grants())
        .put("last_minted", i.evidence().lastMinted().map(Instant::toString).orElse(null))
        .put("calls", i.evidence().calls())
        .put("unused_grants", i.evidence().unusedGrants())
        .put("unused_unseen", i.evidence().unusedUnseen().orElse(null))
        .put(
            "suggestion",
            new JsonObject()
                .put("decision", i.suggestion().choice().code())
                .put("why", i.suggestion().why()))
        .put("decision", d.map(x -> x.choice().code()).orElse(null))
        .put("decided_by", d.flatMap(ReviewItem.Decision::by).map(ReviewJson::person).orElse(null))
        .put("decided_at", d.map(x -> x.at().toString()).orElse(null))
        .put("comment", d.flatMap(ReviewItem.Decision::comment).orElse(null))
        .put("overdue", d.map(ReviewItem.Decision::overdue).orElse(false))
        .put("suspended", i.suspended());
  }

  private static JsonObject person(Person p) {
    return new JsonObject()
        .put("issuer", p.issuer())
        .put("subject", p.subject())
        .put("email", p.email().orElse(null));
  }
}
