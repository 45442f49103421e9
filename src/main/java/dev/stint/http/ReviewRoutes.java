package dev.stint.http;

import dev.stint.error.StintException;
import dev.stint.identity.Person;
import dev.stint.review.Review;
import dev.stint.review.ReviewCsv;
import dev.stint.review.ReviewItem;
import dev.stint.review.ReviewerChoice;
import dev.stint.review.Reviewing;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Access reviews (ARCHITECTURE §13): {@code POST /v1/access-reviews {profile}} (admins open one
 * now), {@code GET /v1/access-reviews} and {@code GET /v1/access-reviews/{id}} (admins, auditors,
 * the profile's reviewers), {@code GET /v1/access-reviews/{id}/export?format=json|csv}, {@code POST
 * /v1/access-reviews/{id}/decisions} (its reviewers, never on their own item) and {@code POST
 * /v1/eligibility/restore} (admins).
 */
public final class ReviewRoutes implements ApiModule {
  private static final Set<String> OPEN_FIELDS = Set.of("profile");
  private static final Set<String> DECISIONS_FIELDS = Set.of("items");
  private static final Set<String> ITEM_FIELDS = Set.of("issuer", "subject", "decision", "comment");
  private static final Set<String> RESTORE_FIELDS = Set.of("profile", "issuer", "subject");

  private final Reviewing reviews;

  public ReviewRoutes(Reviewing reviews) {
    this.reviews = reviews;
  }

  @Override
  public void register(Router v1) {
    v1.post("/access-reviews").handler(this::open);
    v1.get("/access-reviews").handler(this::list);
    v1.get("/access-reviews/:id").handler(this::get);
    v1.get("/access-reviews/:id/export").handler(this::export);
    v1.post("/access-reviews/:id/decisions").handler(this::decide);
    v1.post("/eligibility/restore").handler(this::restore);
  }

  private void open(RoutingContext ctx) {
    String profile = JsonBodies.read(ctx, OPEN_FIELDS).requiredString("profile");
    reviews
        .open(RequestRoutes.caller(ctx), profile)
        .onSuccess(
            r -> {
              ctx.response()
                  .setStatusCode(201)
                  .putHeader("Location", "/v1/access-reviews/" + r.id());
              ctx.json(ReviewJson.of(r));
            })
        .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    Optional<Review.State> state =
        Optional.ofNullable(ctx.queryParams().get("state")).map(ReviewRoutes::state);
    Optional<String> profile = Optional.ofNullable(ctx.queryParams().get("profile"));
    reviews
        .list(RequestRoutes.caller(ctx), state, profile)
        .onSuccess(
            found -> {
              JsonArray out = new JsonArray();
              found.forEach(s -> out.add(ReviewJson.of(s)));
              ctx.json(new JsonObject().put("reviews", out));
            })
        .onFailure(ctx::fail);
  }

  private static Review.State state(String code) {
    return switch (code) {
      case "open" -> Review.State.OPEN;
      case "closed" -> Review.State.CLOSED;
      default -> throw StintException.invalid("'state' is open or closed");
    };
  }

  private void get(RoutingContext ctx) {
    reviews
        .get(RequestRoutes.caller(ctx), ctx.pathParam("id"))
        .onSuccess(r -> ctx.json(ReviewJson.of(r)))
        .onFailure(ctx::fail);
  }

  private void export(RoutingContext ctx) {
    String format = Optional.ofNullable(ctx.queryParams().get("format")).orElse("json");
    if (!format.equals("json") && !format.equals("csv")) {
      throw StintException.invalid("'format' is json or csv");
    }
    reviews
        .get(RequestRoutes.caller(ctx), ctx.pathParam("id"))
        .onSuccess(
            r -> {
              ctx.response()
                  .putHeader(
                      "Content-Disposition",
                      "attachment; filename=\"" + r.id() + "." + format + "\"");
              if (format.equals("csv")) {
                ctx.response()
                    .putHeader("Content-Type", "text/csv; charset=utf-8")
                    .end(ReviewCsv.of(r));
              } else {
                ctx.json(ReviewJson.of(r));
              }
            })
        .onFailure(ctx::fail);
  }

  private void decide(RoutingContext ctx) {
    JsonBodies body = JsonBodies.read(ctx, DECISIONS_FIELDS);
    JsonArray list = body.requiredArray("items");
    List<ReviewerChoice> asked = new ArrayList<>();
    for (Object item : list) {
      asked.add(asked(item));
    }
    reviews
        .decide(RequestRoutes.caller(ctx), ctx.pathParam("id"), asked)
        .onSuccess(r -> ctx.json(ReviewJson.of(r)))
        .onFailure(ctx::fail);
  }

  private static ReviewerChoice asked(Object item) {
    if (!(item instanceof JsonObject o)) {
      throw StintException.invalid("each of 'items' is an object {issuer, subject, decision}");
    }
    for (String field : o.fieldNames()) {
      if (!ITEM_FIELDS.contains(field)) {
        throw StintException.invalid(
            "unknown field 'items[]." + field + "'; expected " + ITEM_FIELDS);
      }
    }
    Person person = person(o);
    ReviewItem.Choice choice =
        (o.getValue("decision") instanceof String d
                ? ReviewItem.Choice.of(d)
                : Optional.<ReviewItem.Choice>empty())
            .orElseThrow(() -> StintException.invalid("'decision' is keep or remove"));
    Object comment = o.getValue("comment");
    if (comment != null && !(comment instanceof String)) {
      throw StintException.invalid("'comment' is a string");
    }
    return new ReviewerChoice(
        person, choice, Optional.ofNullable((String) comment).filter(c -> !c.isBlank()));
  }

  private static Person person(JsonObject o) {
    if (!(o.getValue("issuer") instanceof String issuer)
        || !(o.getValue("subject") instanceof String subject)
        || issuer.isBlank()
        || subject.isBlank()) {
      throw StintException.invalid("a person is named by 'issuer' and 'subject', as strings");
    }
    return new Person(issuer, subject, Optional.empty());
  }

  private void restore(RoutingContext ctx) {
    JsonBodies body = JsonBodies.read(ctx, RESTORE_FIELDS);
    String profile = body.requiredString("profile");
    Person person =
        new Person(body.requiredString("issuer"), body.requiredString("subject"), Optional.empty());
    reviews
        .restore(RequestRoutes.caller(ctx), profile, person)
        .onSuccess(
            r ->
                ctx.json(
                    new JsonObject()
                        .put("profile", r.profile())
                        .put("issuer", r.person().issuer())
                        .put("subject", r.person().subject())
                        .put("review", r.hold().reviewId())
                        .put("suspended_at", r.hold().since().toString())
                        .put("restored_at", r.at().toString())))
        .onFailure(ctx::fail);
  }
}
