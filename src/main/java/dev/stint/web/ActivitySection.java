package dev.stint.web;

import dev.stint.access.AccessRequest;
import dev.stint.activity.ActivityEvent;
import dev.stint.activity.ActivitySummary;
import dev.stint.activity.GrantActivity;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The part of a request page that says what its grant's credentials were used for, from the cloud's
 * own logs ({@code GET /v1/requests/{id}/activity} drawn): calls per service, errors, the first and
 * last call, when the credentials were last looked up, and the calls, newest first, a page at a
 * time ({@code ?activity_cursor=}). The caller has already checked the visitor may see the request.
 */
final class ActivitySection {
  /** The query parameter that carries the activity's {@code next_cursor} on the request page. */
  static final String CURSOR = "activity_cursor";

  private final GrantActivity activity;

  ActivitySection(GrantActivity activity) {
    this.activity = activity;
  }

  /** Where the page of calls starts: the visitor's {@code activity_cursor}, given at most once. */
  static Optional<String> cursor(RoutingContext ctx) {
    if (ctx.queryParam(CURSOR).size() > 1) {
      throw StintException.invalid(CURSOR + " is given more than once");
    }
    return Optional.ofNullable(ctx.queryParams().get(CURSOR)).filter(c -> !c.isEmpty());
  }

  /**
   * The section for {@code r}: empty before it has a grant. A cursor the page did not give fails
   * the page (400), as the API refuses it.
   */
  Future<Html> of(AccessRequest r, Optional<String> cursor) {
    if (r.grant().isEmpty()) {
      return Future.succeededFuture(Html.empty());
    }
    return Future.<Void>succeededFuture()
        .compose(x -> activity.of(r.id(), cursor))
        .recover(
            e ->
                Future.failedFuture(
                    e instanceof StintException se && se.code() == ErrorCode.INVALID_REQUEST
                        ? StintException.invalid(CURSOR + " is not one this page gave")
                        : e))
        .map(view -> section(r.id(), view, cursor.isPresent()));
  }

  static Html section(String requestId, GrantActivity.View view, boolean later) {
    return sectionOn("/ui/requests/" + requestId, view, later);
  }

  /** The section on the page at {@code page}, whose links to more calls lead back to it. */
  static Html sectionOn(String page, GrantActivity.View view, boolean later) {
    return Html.of(
        "<section aria-labelledby=\"use-h\"><h2 id=\"use-h\">Activity</h2>{}{}{}{}</section>",
        summary(view.summary(), checkedAt(view)),
        services(view.summary().services()),
        calls(view, later),
        more(page, view.nextCursor(), later));
  }

  /** When every source last looked up every credential; empty when one has not yet. */
  private static Optional<Instant> checkedAt(GrantActivity.View view) {
    Optional<Instant> oldest = Optional.empty();
    for (GrantActivity.Source s : view.sources()) {
      if (s.checkedAt().isEmpty()) {
        return Optional.empty();
      }
      if (oldest.isEmpty() || s.checkedAt().get().isBefore(oldest.get())) {
        oldest = s.checkedAt();
      }
    }
    return oldest;
  }

  private static Html summary(ActivitySummary s, Optional<Instant> checked) {
    Html looked = checked.map(Show::time).orElse(Html.of("<span class=\"muted\">not yet</span>"));
    if (s.unused()) {
      return Html.of(
          "<p><strong>Not used</strong>: {}</p><dl class=\"facts\"><dt>Last looked up</dt>"
              + "<dd>{}</dd></dl>",
          s.credentials() == 0
              ? "no credential the cloud's logs can be asked about was issued on this grant."
              : "no call made with this grant's credentials is in the cloud's logs.",
          looked);
    }
    return Html.of(
        """
        <dl class="facts">
        <dt>Calls</dt><dd>{}</dd>
        <dt>Errors</dt><dd>{}</dd>
        <dt>First call</dt><dd>{}</dd>
        <dt>Last call</dt><dd>{}</dd>
        <dt>Last looked up</dt><dd>{}</dd>
        </dl>""",
        s.calls(),
        s.errors(),
        s.firstAt().map(Show::time).orElse(Html.empty()),
        s.lastAt().map(Show::time).orElse(Html.empty()),
        looked);
  }

  private static Html services(Map<String, Long> services) {
    if (services.isEmpty()) {
      return Html.empty();
    }
    return Html.of(
        "<div class=\"scroll\"><table><thead><tr><th scope=\"col\">Service</th>"
            + "<th scope=\"col\">Calls</th></tr></thead><tbody>{}</tbody></table></div>",
        Html.each(
            new TreeMap<>(services).entrySet().stream().toList(),
            e -> Html.of("<tr><td>{}</td><td>{}</td></tr>", e.getKey(), e.getValue())));
  }

  private static Html calls(GrantActivity.View view, boolean later) {
    if (view.events().isEmpty()) {
      return later ? Html.of("<p class=\"muted\">No more calls.</p>") : Html.empty();
    }
    return Html.of(
        """
        <h3>{}</h3><div class="scroll"><table><thead><tr><th scope="col">Time</th>
        <th scope="col">Service</th><th scope="col">Call</th>
        <th scope="col">Region or subscription</th><th scope="col">Key</th>
        <th scope="col">Source IP</th><th scope="col">Error</th>
        </tr></thead><tbody>{}</tbody></table></div>""",
        later ? "Earlier calls" : "Calls, newest first",
        Html.each(view.events(), ActivitySection::call));
  }

  private static Html call(ActivityEvent e) {
    return Html.of(
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"id\">{}</td><td>{}</td>"
            + "<td>{}</td></tr>",
        Show.time(e.time()),
        e.eventSource(),
        e.eventName(),
        e.region(),
        e.accessKeyId().orElse(""),
        e.sourceIp().orElse(""),
        e.errorCode().orElse(""));
  }

  /** A link to the next page of calls while there is one, and back to the newest from a later. */
  private static Html more(String page, Optional<String> next, boolean later) {
    Html older =
        next.map(c -> Html.of("<a href=\"{}?{}={}#use-h\">More calls</a> ", page, CURSOR, c))
            .orElse(Html.empty());
    Html newest = Html.when(later, () -> Html.of("<a href=\"{}#use-h\">Newest calls</a>", page));
    return next.isEmpty() && !later ? Html.empty() : Html.of("<p>{}{}</p>", older, newest);
  }
}
