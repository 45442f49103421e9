package dev.stint.web;

import dev.stint.access.Caller;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.http.HttpStatuses;
import dev.stint.http.ReviewJson;
import dev.stint.policy.PolicyInForce;
import dev.stint.review.Review;
import dev.stint.review.ReviewCsv;
import dev.stint.review.ReviewItem;
import dev.stint.review.ReviewSummary;
import dev.stint.review.ReviewerChoice;
import dev.stint.review.Reviewing;
import dev.stint.rightsize.Suggestions;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where reviewers are (issue 56): {@code /ui/access-reviews}, the reviews the visitor may read
 * (open first), and {@code /ui/access-reviews/{id}}, one review with every person and their
 * evidence ({@link ReviewPage}), its decisions posted to {@code .../decisions} and its CSV and JSON
 * downloads. Each reads and decides through {@link Reviewing}, as the API does: who may read and
 * decide is its rule, a review one may not read is its 404 (recorded there), and a decision is all
 * or nothing.
 */
final class ReviewPages {
  private static final Set<ErrorCode> SHOWN_ON_THE_PAGE =
      Set.of(ErrorCode.INVALID_REQUEST, ErrorCode.FORBIDDEN, ErrorCode.CONFLICT);

  private final Reviewing reviews;
  private final Suggestions suggestions;
  private final PolicyInForce policies;
  private final Clock clock;

  ReviewPages(Reviewing reviews, Suggestions suggestions, PolicyInForce policies, Clock clock) {
    this.reviews = reviews;
    this.suggestions = suggestions;
    this.policies = policies;
    this.clock = clock;
  }

  void register(Router ui) {
    ui.get("/access-reviews").handler(ctx -> Respond.page(ctx, this::list));
    ui.get("/access-reviews/:id").handler(ctx -> Respond.page(ctx, this::show));
    ui.get("/access-reviews/:id/export.csv").handler(ctx -> Respond.page(ctx, this::csv));
    ui.get("/access-reviews/:id/export.json").handler(ctx -> Respond.page(ctx, this::json));
    ui.post("/access-reviews/:id/decisions").handler(ctx -> Respond.page(ctx, this::decide));
  }

  private Future<?> list(RoutingContext ctx) {
    Visitor v = Visitor.of(ctx);
    return reviews
        .list(v.caller(ctx), Optional.empty(), Optional.empty())
        .map(
            Respond.then(
                found ->
                    Respond.html(
                        ctx,
                        200,
                        Layout.page(
                            Optional.of(v), "Access reviews", listBody(openFirst(found))))));
  }

  /** Open reviews first; within each state, as the use case answers them (newest first). */
  static List<ReviewSummary> openFirst(List<ReviewSummary> found) {
    List<ReviewSummary> out = new ArrayList<>(found);
    out.sort(Comparator.comparing(s -> s.review().state() == Review.State.OPEN ? 0 : 1));
    return out;
  }

  static Html listBody(List<ReviewSummary> found) {
    if (found.isEmpty()) {
      return Html.of(
          "<p class=\"muted\">No access reviews you may read. Admins, auditors and the reviewers"
              + " a profile's <code>access_review</code> names see them here.</p>");
    }
    return Html.of(
        """
        <div class="scroll"><table class="cards">
        <thead><tr><th scope="col">Review</th><th scope="col">Profile</th>\
        <th scope="col">State</th><th scope="col">Opened</th><th scope="col">Due</th>\
        <th scope="col">Progress</th></tr></thead>
        <tbody>{}</tbody></table></div>""",
        Html.each(
            found,
            s ->
                Html.of(
                    """
                    <tr><td class="id" data-label="Review"><a href="/ui/access-reviews/{}">{}</a></td>
                    <td data-label="Profile">{}</td>
                    <td data-label="State"><span class="state state-{}">{}</span></td>
                    <td data-label="Opened">{}</td><td data-label="Due">{}</td>
                    <td data-label="Progress">{}</td></tr>""",
                    s.review().id(),
                    s.review().id(),
                    s.review().profile(),
                    s.review().state().code(),
                    s.review().state().code(),
                    Show.time(s.review().openedAt()),
                    Show.time(s.review().dueAt()),
                    ReviewPage.progress(s.progress()))));
  }

  private Future<?> show(RoutingContext ctx) {
    Visitor v = Visitor.of(ctx);
    return reviews
        .get(v.caller(ctx), ctx.pathParam("id"))
        .compose(
            r -> unused(r).map(Respond.then(u -> render(ctx, v, r, u, Optional.empty(), 200))));
  }

  /**
   * What the profile's policy allows that nobody used in the review's evidence window, for whoever
   * may read the review; nothing when it cannot be told (a profile gone from the policy, or not an
   * AWS one).
   */
  private Future<Optional<List<String>>> unused(Review r) {
    return suggestions
        .unused(r.profile(), r.periodStart())
        .map(Optional::of)
        .otherwise(Optional.empty());
  }

  private void render(
      RoutingContext ctx,
      Visitor v,
      Review r,
      Optional<List<String>> unused,
      Optional<String> refusal,
      int status) {
    Caller caller = v.caller(ctx);
    boolean reviewer =
        policies
            .current()
            .profile(r.profile())
            .filter(p -> policies.evaluator().isReviewer(v.principal(), p, clock.instant()))
            .isPresent();
    ReviewPage.Reader reader = new ReviewPage.Reader(v, caller.person(), reviewer);
    Respond.html(
        ctx,
        status,
        Layout.page(
            Optional.of(v),
            "Access review " + r.id(),
            ReviewPage.body(r, reader, refusal, unusedSection(r, unused))));
  }

  /** Beside the people: what the profile allows that none of them used, and where to narrow it. */
  static Html unusedSection(Review r, Optional<List<String>> unused) {
    return unused
        .map(
            u ->
                Html.of(
                    "<section aria-labelledby=\"unused-h\"><h2 id=\"unused-h\">Unused actions</h2>"
                        + "<p>What profile {}'s policy allows that no call of its credentials used"
                        + " since {}: {}. <a href=\"/ui/profiles/{}/suggestion\">Today's policy"
                        + " and the suggested one, side by side</a> (auditors and admins).</p>"
                        + "</section>",
                    r.profile(),
                    Show.time(r.periodStart()),
                    SuggestionPage.unused(u),
                    r.profile()))
        .orElse(Html.empty());
  }

  private Future<?> csv(RoutingContext ctx) {
    Visitor v = Visitor.of(ctx);
    return reviews
        .get(v.caller(ctx), ctx.pathParam("id"))
        .map(
            Respond.then(
                r -> download(ctx, r, "csv", "text/csv; charset=utf-8").end(ReviewCsv.of(r))));
  }

  private Future<?> json(RoutingContext ctx) {
    Visitor v = Visitor.of(ctx);
    return reviews
        .get(v.caller(ctx), ctx.pathParam("id"))
        .map(
            Respond.then(
                r ->
                    download(ctx, r, "json", "application/json")
                        .end(ReviewJson.of(r).encodePrettily())));
  }

  private static HttpServerResponse download(
      RoutingContext ctx, Review r, String format, String type) {
    return ctx.response()
        .setStatusCode(200)
        .putHeader("Content-Type", type)
        .putHeader("Content-Disposition", "attachment; filename=\"" + r.id() + "." + format + "\"");
  }

  /**
   * The decisions a form posts (one row's, or the selection's), made in one call; then back to the
   * page. A refusal comes back as the page with its reason on top and the API's status (400, 403 or
   * 409), nothing decided; the use case records it. The review is read first, with the visitor's
   * right to read it, so a person who may not read it gets its 404 and the form's names are matched
   * against the people it shows.
   */
  private Future<?> decide(RoutingContext ctx) {
    Visitor v = Visitor.of(ctx);
    Caller caller = v.caller(ctx);
    String id = ctx.pathParam("id");
    return reviews
        .get(caller, id)
        .compose(
            r -> {
              Future<Review> decided;
              try {
                decided = reviews.decide(caller, id, asked(ctx, r));
              } catch (StintException e) {
                decided = Future.failedFuture(e);
              }
              return decided
                  .onSuccess(x -> Respond.seeOther(ctx, "/ui/access-reviews/" + id))
                  .recover(e -> refused(ctx, v, id, e));
            });
  }

  private Future<Review> refused(RoutingContext ctx, Visitor v, String id, Throwable e) {
    if (!(e instanceof StintException se) || !SHOWN_ON_THE_PAGE.contains(se.code())) {
      return Future.failedFuture(e);
    }
    return reviews
        .get(v.caller(ctx), id)
        .compose(
            r ->
                unused(r)
                    .map(
                        Respond.then(
                            u ->
                                render(
                                    ctx,
                                    v,
                                    r,
                                    u,
                                    Optional.of(se.detail()),
                                    HttpStatuses.of(se.code()))))
                    .map(r));
  }

  /** The posted form as the use case's items: who (by {@link ReviewPage#key}) and what. */
  static List<ReviewerChoice> asked(RoutingContext ctx, Review r) {
    String action = PostedForm.field(ctx, "action").orElse("");
    if (!Set.of("keep", "remove", "suggested").contains(action)) {
      throw StintException.invalid("choose keep, remove or follow the suggestion");
    }
    List<String> keys = ctx.request().formAttributes().getAll("item");
    if (keys.isEmpty()) {
      throw StintException.invalid("select at least one person");
    }
    Optional<String> comment = PostedForm.field(ctx, "comment");
    Map<String, ReviewItem> byKey = new HashMap<>();
    r.items().forEach(i -> byKey.put(ReviewPage.key(i.person()), i));
    List<ReviewerChoice> asked = new ArrayList<>();
    for (String key : keys) {
      ReviewItem item = byKey.get(key);
      if (item == null) {
        throw StintException.invalid(
            "the form names someone who is not in this review; reload the page");
      }
      ReviewItem.Choice choice =
          "suggested".equals(action)
              ? item.suggestion().choice()
              : ReviewItem.Choice.of(action).orElseThrow();
      asked.add(new ReviewerChoice(item.person(), choice, comment));
    }
    return asked;
  }
}
