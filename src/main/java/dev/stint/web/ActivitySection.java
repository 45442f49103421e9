package dev.stint.web;

import dev.stint.access.AccessRequest;
import dev.stint.activity.ActivityEvent;
import dev.stint.activity.ActivitySummary;
import dev.stint.activity.GrantActivity;
import dev.stint.activity.Visibility;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The part of a request page that says what its grant's credentials were used for, from the cloud's
 * own logs ({@code GET /v1/requests/{id}/activity} drawn): calls per service, errors, the first and
 * last call, when the credentials were last looked up, what stint can and cannot see of their calls
 * ("Not used" only where it sees every call they could make), and the calls, newest first, a page
 * at a time ({@code ?activity_cursor=}). The caller has already checked the visitor may see the
 * request.
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
    return of(r, cursor, Map.of());
  }

  /** As above, each call a finding names marked, with links to those findings ({@code flagged}). */
  Future<Html> of(AccessRequest r, Optional<String> cursor, Map<String, List<String>> flagged) {
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
        .map(view -> sectionOn("/ui/requests/" + r.id(), view, cursor.isPresent(), flagged));
  }

  static Html section(String requestId, GrantActivity.View view, boolean later) {
    return sectionOn("/ui/requests/" + requestId, view, later);
  }

  /** The section on the page at {@code page}, whose links to more calls lead back to it. */
  static Html sectionOn(String page, GrantActivity.View view, boolean later) {
    return sectionOn(page, view, later, Map.of());
  }

  /**
   * As above; each call a finding names ({@code flagged}: its event id, the findings' ids) is
   * marked, anchored for the findings' links, and links back to them.
   */
  static Html sectionOn(
      String page, GrantActivity.View view, boolean later, Map<String, List<String>> flagged) {
    return Html.of(
        "<section aria-labelledby=\"use-h\"><h2 id=\"use-h\">Activity</h2>{}{}{}{}</section>",
        summary(view, checkedAt(view)),
        services(view.summary().services()),
        calls(view, later, flagged),
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

  private static Html summary(GrantActivity.View view, Optional<Instant> checked) {
    ActivitySummary s = view.summary();
    Visibility v = view.visibility();
    Html looked = checked.map(Show::time).orElse(Html.of("<span class=\"muted\">not yet</span>"));
    if (s.noCallSeen()) {
      return Html.of(
          "<p>{}</p><dl class=\"facts\"><dt>Last looked up</dt><dd>{}</dd>{}</dl>",
          verdict(v),
          looked,
          visible(v));
    }
    return Html.of(
        """
        <dl class="facts">
        <dt>Calls</dt><dd>{}</dd>
        <dt>Errors</dt><dd>{}</dd>
        <dt>First call</dt><dd>{}</dd>
        <dt>Last call</dt><dd>{}</dd>
        <dt>Last looked up</dt><dd>{}</dd>
        {}</dl>""",
        s.calls(),
        s.errors(),
        s.firstAt().map(Show::time).orElse(Html.empty()),
        s.lastAt().map(Show::time).orElse(Html.empty()),
        looked,
        visible(v));
  }

  /** What no call seen means: "Not used" only where every call the credentials could make shows. */
  private static Html verdict(Visibility v) {
    if (!v.whole()) {
      return Html.of(
          "<strong>No call seen</strong>, but not every call is visible (below): this does not"
              + " show that the grant went unused.");
    }
    return Html.of(
        "<strong>Not used</strong>: {}",
        v.seen().isEmpty()
            ? "no credential was handed out on this grant."
            : "no call made with this grant's credentials is in the logs stint reads, which hold"
                + " every call they could make.");
  }

  /** What stint sees of the calls, and each kind it cannot see, with why. */
  private static Html visible(Visibility v) {
    Html seen =
        Html.of(
            "<dt>Visible</dt><dd>{}</dd>",
            v.seen().isEmpty()
                ? (v.whole()
                    ? "nothing to see: no credential was handed out"
                    : "none of their calls")
                : String.join("; ", v.seen().stream().map(Visibility.Seen::words).toList()));
    if (v.whole()) {
      return seen;
    }
    return Html.of(
        "{}<dt>Not visible</dt><dd><ul>{}</ul></dd>",
        seen,
        Html.each(v.unseenWords(), w -> Html.of("<li>{}</li>", w)));
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

  private static Html calls(
      GrantActivity.View view, boolean later, Map<String, List<String>> flagged) {
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
        Html.each(view.events(), e -> call(e, flagged.getOrDefault(e.eventId(), List.of()))));
  }

  /** One call's row; a call findings name is marked, with links to them. */
  private static Html call(ActivityEvent e, List<String> findings) {
    Html marker =
        findings.isEmpty()
            ? Html.empty()
            : Html.of(
                " <span class=\"flag\">finding {}</span>",
                Html.each(
                    findings,
                    id -> Html.of("<a href=\"#{}\">{}</a> ", FindingSection.anchor(id), id)));
    return Html.of(
        "<tr id=\"{}\"{}><td>{}{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"id\">{}</td>"
            + "<td>{}</td><td>{}</td></tr>",
        FindingSection.callAnchor(e.eventId()),
        findings.isEmpty() ? Html.empty() : Html.of(" class=\"flagged\""),
        Show.time(e.time()),
        marker,
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
