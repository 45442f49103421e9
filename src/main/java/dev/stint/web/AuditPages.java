package dev.stint.web;

import dev.stint.audit.AuditEvent;
import dev.stint.audit.AuditPage;
import dev.stint.audit.AuditQuery;
import dev.stint.audit.AuditRecord;
import dev.stint.audit.AuditViews;
import dev.stint.error.StintException;
import dev.stint.http.AuditEventStream;
import dev.stint.http.AuditRoutes;
import dev.stint.http.EventStreams;
import dev.stint.http.StreamReader;
import dev.stint.identity.Principal;
import dev.stint.policy.PolicyInForce;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The auditor's page ({@code /ui/audit}): filtered pages of events, an export of the same filter as
 * JSON Lines (the shape of {@code GET /v1/audit} and {@code stint audit export}), and the live
 * stream ({@code /ui/audit/events}, the same server-sent events as {@code GET /v1/events}). Only
 * the policy's auditors get any of it, checked on every request.
 */
final class AuditPages {
  private static final List<String> FILTERS = List.of("actor", "type", "profile", "since", "until");

  /** One export answers at most this many events; narrow the filter (or use the CLI) for more. */
  static final int MAX_EXPORT = 50_000;

  private final AuditViews audit;
  private final PolicyInForce policies;
  private final WebSessions sessions;
  private final WebGuard guard;
  private final EventStreams streams;
  private final Clock clock;

  AuditPages(
      AuditViews audit,
      PolicyInForce policies,
      WebSessions sessions,
      WebGuard guard,
      EventStreams streams) {
    this.audit = audit;
    this.policies = policies;
    this.sessions = sessions;
    this.guard = guard;
    this.streams = streams;
    this.clock = streams.clock();
  }

  void register(Router ui) {
    ui.get("/audit").handler(ctx -> Respond.page(ctx, this::list));
    ui.get("/audit/export").handler(ctx -> Respond.page(ctx, this::export));
    ui.get("/audit/events")
        .handler(
            ctx ->
                Respond.page(
                    ctx,
                    c ->
                        auditor(c)
                            .compose(
                                v -> new AuditEventStream(c, audit, streams, reader(v)).start())));
  }

  /**
   * A web stream lasts while its session does (logout deletes it, expiry ends it) and while the
   * session's person is still an auditor under the policy in force.
   */
  private StreamReader reader(Visitor visitor) {
    Principal opened = visitor.principal();
    return new StreamReader() {
      @Override
      public String person() {
        return opened.issuer() + " " + opened.subject();
      }

      @Override
      public Future<Optional<String>> endReason(Instant now) {
        return sessions
            .find(visitor.sessionSecret(), now)
            .map(
                found -> {
                  Optional<Principal> p = found.flatMap(s -> guard.person(s.principal()));
                  if (p.isEmpty()) {
                    return Optional.of("session_ended");
                  }
                  return policies.evaluator().mayReadAudit(p.get(), now).allowed()
                      ? Optional.<String>empty()
                      : Optional.of("not_auditor");
                });
      }
    };
  }

  private Future<Visitor> auditor(RoutingContext ctx) {
    Visitor v = Visitor.of(ctx);
    return policies.evaluator().mayReadAudit(v.principal(), clock.instant()).allowed()
        ? Future.succeededFuture(v)
        : Future.failedFuture(StintException.forbidden("the audit pages are for auditors"));
  }

  private Map<String, String> filters(RoutingContext ctx) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String name : FILTERS) {
      String value = ctx.queryParams().get(name);
      if (value != null && !value.isBlank()) {
        out.put(name, value.strip());
      }
    }
    return out;
  }

  private AuditQuery query(Map<String, String> f, Optional<String> cursor, int limit) {
    Instant now = clock.instant();
    return new AuditQuery(
        Optional.ofNullable(f.get("since")).map(s -> AuditRoutes.instant("since", s, now)),
        Optional.ofNullable(f.get("until")).map(s -> AuditRoutes.instant("until", s, now)),
        Optional.ofNullable(f.get("actor")),
        Optional.ofNullable(f.get("profile")),
        Optional.ofNullable(f.get("type")),
        cursor,
        limit);
  }

  private Future<?> list(RoutingContext ctx) {
    return auditor(ctx)
        .compose(
            v -> {
              Map<String, String> f = filters(ctx);
              AuditQuery q =
                  query(
                      f,
                      Optional.ofNullable(ctx.queryParams().get("cursor"))
                          .filter(c -> !c.isBlank()),
                      AuditQuery.DEFAULT_LIMIT);
              return audit
                  .reader()
                  .query(q)
                  .map(
                      Respond.then(
                          page ->
                              Respond.html(
                                  ctx,
                                  200,
                                  Layout.page(
                                      Optional.of(v),
                                      "Audit",
                                      body(f, page),
                                      Html.of(
                                          "<script src=\"/ui/static/audit.js\" defer></script>")))));
            });
  }

  private static Html body(Map<String, String> f, AuditPage page) {
    String query = encode(f);
    return Html.of(
        """
        <form method="get" action="/ui/audit" class="filters" role="search">
        {}
        <button type="submit">Filter</button> <a href="/ui/audit">Clear</a>
        </form>
        <p><a href="/ui/findings">Findings</a>: what the finding rules raised on every         request's calls, by severity and rule.</p>
        <p>Export this filter: <a href="/ui/audit/export?{}" download>JSON Lines</a>
        · from a terminal: <code>stint audit export{}</code></p>
        {}
        {}
        <section aria-labelledby="live-h"><h2 id="live-h">Live events</h2>
        <p id="live-status" class="muted" aria-live="polite">The live stream needs JavaScript; reload the page to see new events without it.</p>
        <div class="scroll"><table class="audit cards"><thead>{}</thead><tbody id="live"></tbody></table></div>
        </section>""",
        Html.each(
            FILTERS,
            name ->
                Html.of(
                    """
            <div><label for="f-{}">{}</label><input id="f-{}" name="{}" type="text" value="{}" placeholder="{}"></div>""",
                    name,
                    label(name),
                    name,
                    name,
                    f.getOrDefault(name, ""),
                    placeholder(name))),
        query,
        cli(f),
        events(page.events()),
        page.nextCursor()
            .map(
                c ->
                    Html.of(
                        "<p><a href=\"/ui/audit?{}\">Next page</a></p>", encode(withCursor(f, c))))
            .orElse(Html.empty()),
        header());
  }

  private static String label(String name) {
    return switch (name) {
      case "actor" -> "Actor (subject or email)";
      case "type" -> "Event type";
      case "profile" -> "Profile";
      case "since" -> "Since";
      default -> "Until";
    };
  }

  private static String placeholder(String name) {
    return switch (name) {
      case "type" -> "request.approved";
      case "since" -> "7d or 2026-01-02";
      case "until" -> "2026-01-03T00:00:00Z";
      default -> "";
    };
  }

  private static String cli(Map<String, String> f) {
    return f.entrySet().stream()
        .map(e -> " --" + e.getKey() + " '" + e.getValue().replace("'", "'\\''") + "'")
        .collect(Collectors.joining());
  }

  private static Html header() {
    return Html.of(
        "<tr><th scope=\"col\" class=\"c-seq\">#</th><th scope=\"col\" class=\"c-time\">Time</th>"
            + "<th scope=\"col\" class=\"c-type\">Type</th><th scope=\"col\" class=\"c-actor\">Actor</th>"
            + "<th scope=\"col\" class=\"c-profile\">Profile</th>"
            + "<th scope=\"col\" class=\"c-request\">Request</th>"
            + "<th scope=\"col\" class=\"c-outcome\">Outcome</th><th scope=\"col\">Reason</th></tr>");
  }

  private static Html events(List<AuditRecord> records) {
    if (records.isEmpty()) {
      return Html.of("<p class=\"muted\">No events match.</p>");
    }
    return Html.of(
        "<div class=\"scroll\"><table class=\"audit cards\"><thead>{}</thead><tbody>{}</tbody></table></div>",
        header(),
        Html.each(
            records,
            rec -> {
              AuditEvent e = rec.event();
              String who =
                  e.actor().email() != null
                      ? e.actor().email()
                      : e.actor().subject() != null ? e.actor().subject() : "";
              return Html.of(
                  "<tr><td data-label=\"#\">{}</td><td data-label=\"Time\">{}</td>"
                      + "<td data-label=\"Type\">{}</td><td data-label=\"Actor\">{}</td>"
                      + "<td data-label=\"Profile\">{}</td><td data-label=\"Request\">{}</td>"
                      + "<td data-label=\"Outcome\">{}</td>"
                      + "<td class=\"reason\" data-label=\"Reason\">{}</td></tr>",
                  rec.seq(),
                  Show.time(rec.occurredAt()),
                  e.type(),
                  who,
                  nz(e.profile()),
                  e.requestId() == null
                      ? Html.empty()
                      : Html.of("<a href=\"/ui/requests/{}\">{}</a>", e.requestId(), e.requestId()),
                  nz(e.outcome()),
                  nz(e.reason()));
            }));
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  private static Map<String, String> withCursor(Map<String, String> f, String cursor) {
    Map<String, String> out = new LinkedHashMap<>(f);
    out.put("cursor", cursor);
    return out;
  }

  private static String encode(Map<String, String> f) {
    return f.entrySet().stream()
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  /** JSON Lines of every event the filter matches (up to {@link #MAX_EXPORT}), page by page. */
  private Future<?> export(RoutingContext ctx) {
    return auditor(ctx)
        .compose(
            v -> {
              AuditQuery first = query(filters(ctx), Optional.empty(), AuditQuery.MAX_LIMIT);
              ctx.response()
                  .setChunked(true)
                  .putHeader("Content-Type", "application/x-ndjson; charset=utf-8")
                  .putHeader("Content-Disposition", "attachment; filename=\"stint-audit.jsonl\"");
              return exportPage(ctx, first, 0)
                  .onComplete(
                      done -> {
                        if (done.failed() && ctx.response().headWritten()) {
                          ctx.response().reset(); // a cut-off export must not look complete
                        } else if (done.succeeded()) {
                          ctx.response().end();
                        }
                      });
            });
  }

  private Future<Void> exportPage(RoutingContext ctx, AuditQuery q, int sent) {
    return audit
        .reader()
        .query(q)
        .compose(
            page -> {
              StringBuilder chunk = new StringBuilder();
              page.events()
                  .forEach(r -> chunk.append(new JsonObject(r.toMap()).encode()).append('\n'));
              int total = sent + page.events().size();
              Future<Void> written =
                  chunk.isEmpty()
                      ? Future.succeededFuture()
                      : ctx.response().write(chunk.toString());
              if (page.nextCursor().isEmpty() || total >= MAX_EXPORT) {
                return written;
              }
              return written.compose(
                  x -> exportPage(ctx, q.withCursor(page.nextCursor().get()), total));
            });
  }
}
