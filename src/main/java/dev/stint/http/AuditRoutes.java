package dev.stint.http;

import dev.stint.audit.AuditPage;
import dev.stint.audit.AuditQuery;
import dev.stint.audit.AuditVerification;
import dev.stint.audit.AuditViews;
import dev.stint.audit.ChainVerifier;
import dev.stint.common.Durations;
import dev.stint.error.StintException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The auditor's API: {@code GET /v1/audit} (filtered pages), {@code GET /v1/audit/verify} (the
 * chain walk) and {@code GET /v1/events} (live server-sent events). Every route passes the {@link
 * AuditorGate} first.
 */
public final class AuditRoutes implements ApiModule {
  private static final Set<String> VERIFY_FIELDS = Set.of("checkpoints", "incremental");

  /** About what fits the body limit; the newest checkpoints are the ones that matter. */
  static final int MAX_CHECKPOINTS = 90;

  private static final Pattern RELATIVE = Pattern.compile("(?:\\d+[dhms])+");

  private final AuditViews audit;
  private final AuditorGate gate;
  private final Clock clock;
  private final EventStreams streams;

  public AuditRoutes(AuditViews audit, AuditorGate gate, Clock clock, EventStreams streams) {
    this.audit = audit;
    this.gate = gate;
    this.clock = clock;
    this.streams = streams;
  }

  @Override
  public void register(Router v1) {
    v1.get("/audit").handler(ctx -> guarded(ctx, this::list));
    v1.get("/audit/verify").handler(ctx -> guarded(ctx, this::verify));
    v1.post("/audit/verify").handler(ctx -> guarded(ctx, this::verifyGiven));
    v1.get("/events")
        .handler(
            ctx ->
                guarded(
                    ctx,
                    c -> new AuditEventStream(c, audit, streams, gate.streamReader(c)).start()));
  }

  private void guarded(RoutingContext ctx, Function<RoutingContext, Future<Void>> route) {
    gate.requireAuditor(ctx).compose(v -> route.apply(ctx)).onFailure(ctx::fail);
  }

  private Future<Void> list(RoutingContext ctx) {
    AuditQuery query = query(ctx);
    return audit.reader().query(query).compose(page -> ctx.json(pageJson(page)));
  }

  /** Against the server's own checkpoints (its readable anchors, or its database). */
  private Future<Void> verify(RoutingContext ctx) {
    boolean incremental = param(ctx, "incremental").map(AuditRoutes::bool).orElse(false);
    return LongAnswer.json(
        ctx,
        audit.verification().verify(Optional.empty(), incremental).map(AuditRoutes::verifyJson));
  }

  /** Against the checkpoints the caller brings ({@code stint audit verify --checkpoints}). */
  private Future<Void> verifyGiven(RoutingContext ctx) {
    JsonBodies body = JsonBodies.read(ctx, VERIFY_FIELDS);
    List<String> checkpoints =
        body.optionalStrings("checkpoints")
            .orElseThrow(
                () -> StintException.invalid("'checkpoints' is required: a list of compact JWS"));
    if (checkpoints.size() > MAX_CHECKPOINTS) {
      throw StintException.invalid("at most " + MAX_CHECKPOINTS + " checkpoints at once");
    }
    return LongAnswer.json(
        ctx,
        audit
            .verification()
            .verify(Optional.of(checkpoints), body.optionalBoolean("incremental"))
            .map(AuditRoutes::verifyJson));
  }

  private static boolean bool(String s) {
    if (!"true".equals(s) && !"false".equals(s)) {
      throw StintException.invalid("incremental must be true or false");
    }
    return "true".equals(s);
  }

  AuditQuery query(RoutingContext ctx) {
    Instant now = clock.instant();
    AuditQuery q =
        new AuditQuery(
            param(ctx, "since").map(s -> instant("since", s, now)),
            param(ctx, "until").map(s -> instant("until", s, now)),
            param(ctx, "actor"),
            param(ctx, "profile"),
            param(ctx, "type"),
            param(ctx, "cursor"),
            param(ctx, "limit").map(AuditRoutes::limit).orElse(AuditQuery.DEFAULT_LIMIT));
    return q;
  }

  private static Optional<String> param(RoutingContext ctx, String name) {
    if (ctx.queryParam(name).size() > 1) {
      throw StintException.invalid(name + " is given more than once");
    }
    return Optional.ofNullable(ctx.queryParams().get(name)).filter(s -> !s.isBlank());
  }

  /**
   * ISO-8601 ({@code 2026-01-02T03:04:05Z}, with an offset, or a UTC date) or "ago" ({@code 7d}).
   */
  public static Instant instant(String name, String text, Instant now) {
    try {
      if (RELATIVE.matcher(text).matches()) {
        return now.minus(Durations.parse(text));
      }
      if (text.length() == 10) {
        return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      return OffsetDateTime.parse(text).toInstant();
    } catch (IllegalArgumentException | DateTimeException e) {
      throw StintException.invalid(
          name
              + " must be an ISO-8601 time such as"
              + " 2026-01-02T03:04:05Z or 2026-01-02, or a duration ago such as 7d or 24h");
    }
  }

  private static int limit(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw StintException.invalid(
          "limit must be a whole number from 1 to " + AuditQuery.MAX_LIMIT);
    }
  }

  private static JsonObject pageJson(AuditPage page) {
    JsonArray events = new JsonArray();
    // An event's JSON is its recorded form, the same as the stream's and the export's.
    page.events().forEach(r -> events.add(new JsonObject(r.toMap())));
    return new JsonObject()
        .put("events", events)
        .put("next_cursor", page.nextCursor().orElse(null));
  }

  private static JsonObject verifyJson(AuditVerification.Verdict v) {
    ChainVerifier.Result r = v.result();
    JsonObject out =
        new JsonObject()
            .put("ok", r.ok())
            .put("count", r.count())
            .put("head_seq", r.headSeq())
            .put("checkpoints", v.checkpoints())
            .put("incremental", v.incremental());
    v.checkpointSeq().ifPresent(seq -> out.put("checkpoint_seq", seq));
    // Older events were exported and dropped by retention: the walk began after them, where a
    // retention export's signed checkpoint says the kept chain continues.
    r.startsAfter()
        .ifPresent(
            at ->
                out.put(
                    "starts_after",
                    new JsonObject()
                        .put("seq", at.getKey())
                        .put("hash", at.getValue())
                        .put("checkpoint", "export")));
    if (r.ok()) {
      out.put("head_hash", r.headHash());
    } else {
      out.put("broken_seq", r.brokenSeq().orElseThrow())
          .put("problem", r.problem().orElseThrow())
          .put("layer", r.layer().orElse(ChainVerifier.CHAIN));
    }
    return out;
  }
}
