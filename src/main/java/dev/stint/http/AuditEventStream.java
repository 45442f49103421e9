package dev.stint.http;

import dev.stint.audit.AuditRecord;
import dev.stint.audit.AuditViews;
import dev.stint.audit.LiveAudit;
import dev.stint.error.StintException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code GET /v1/events} (or {@code /ui/audit/events}) connection: server-sent events with
 * {@code id:} = seq. With {@code Last-Event-ID} it first replays what the client missed from the
 * table, while live records are held back, then continues live — in seq order, each record once. A
 * client that cannot keep up is disconnected rather than buffered without bound; it resumes with
 * its Last-Event-ID. The stream holds a place under the {@link EventStreams} caps while it runs and
 * re-checks its reader periodically: once they may no longer read the audit it sends a last {@code
 * event: end} naming why and ends.
 */
public final class AuditEventStream {
  private static final Logger LOG = LoggerFactory.getLogger(AuditEventStream.class);
  private static final int REPLAY_PAGE = 500;
  private static final int MAX_HELD = 10_000;

  private final RoutingContext ctx;
  private final AuditViews audit;
  private final EventStreams streams;
  private final StreamReader reader;
  private final HttpServerResponse response;
  private final List<AuditRecord> held = new ArrayList<>();
  private boolean replaying = true;
  private long lastSent;
  private long timer = -1;
  private long recheckTimer = -1;
  private LiveAudit.Subscription subscription;
  private EventStreams.Slot slot;

  public AuditEventStream(
      RoutingContext ctx, AuditViews audit, EventStreams streams, StreamReader reader) {
    this.ctx = ctx;
    this.audit = audit;
    this.streams = streams;
    this.reader = reader;
    this.response = ctx.response();
  }

  public Future<Void> start() {
    String last = ctx.request().getHeader("Last-Event-ID");
    Long resumeFrom = last == null || last.isBlank() ? null : seq(last);
    slot = streams.open(reader.person()); // refused (429/503) before anything is sent
    return audit
        .live()
        .subscribe(this::live)
        .compose(
            sub -> {
              subscription = sub;
              response.closeHandler(v -> stop());
              // On server shutdown, end the stream with a clean last chunk; the client reconnects
              // elsewhere.
              ctx.request()
                  .connection()
                  .shutdownHandler(
                      v -> {
                        stop();
                        if (!response.closed()) {
                          response.end();
                        }
                      });
              if (response.closed()) {
                stop(); // the client left while the subscription was being set up
                return Future.succeededFuture();
              }
              response
                  .setChunked(true)
                  .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                  .putHeader("X-Accel-Buffering", "no");
              response.write(": stint audit stream\nretry: 3000\n\n");
              timer =
                  ctx.vertx()
                      .setPeriodic(
                          streams.heartbeat().toMillis(), t -> response.write(": keepalive\n\n"));
              recheckTimer = ctx.vertx().setPeriodic(streams.recheck().toMillis(), t -> recheck());
              if (resumeFrom == null) {
                return finishReplay();
              }
              lastSent = resumeFrom;
              return replay();
            })
        .recover(
            e -> {
              stop();
              if (!response.headWritten()) {
                return Future.failedFuture(e);
              }
              // The stream had started: end it; the client reconnects with its Last-Event-ID.
              if (!response.closed()) {
                response.end();
              }
              return Future.succeededFuture();
            });
  }

  private Future<Void> replay() {
    return audit
        .reader()
        .after(lastSent, REPLAY_PAGE)
        .compose(
            records -> {
              records.forEach(this::send);
              if (records.size() < REPLAY_PAGE) {
                return finishReplay();
              }
              return drained().compose(v -> replay());
            });
  }

  private Future<Void> finishReplay() {
    replaying = false;
    held.forEach(this::send);
    held.clear();
    return Future.succeededFuture();
  }

  private void live(AuditRecord r) {
    if (response.ended() || response.closed()) {
      return; // ended (a record may still arrive while the subscription is being removed)
    } else if (replaying && held.size() >= MAX_HELD) {
      response.reset(); // the log moves faster than the replay; the client resumes later
    } else if (replaying) {
      held.add(r);
    } else if (response.writeQueueFull()) {
      // Too slow to follow; it resumes from its Last-Event-ID without loss.
      response.reset();
    } else {
      send(r);
    }
  }

  private void send(AuditRecord r) {
    if (r.seq() <= lastSent || response.ended() || response.closed()) {
      return;
    }
    lastSent = r.seq();
    response.write(
        "id: " + r.seq() + "\nevent: audit\ndata: " + new JsonObject(r.toMap()).encode() + "\n\n");
  }

  private Future<Void> drained() {
    if (!response.writeQueueFull()) {
      return Future.succeededFuture();
    }
    Promise<Void> p = Promise.promise();
    response.drainHandler(v -> p.tryComplete());
    return p.future();
  }

  /** Ends the stream, saying why, once its reader may no longer read the audit. */
  private void recheck() {
    reader
        .endReason(streams.clock().instant())
        .onComplete(
            checked -> {
              if (response.closed() || subscription == null) {
                return;
              }
              if (checked.failed()) {
                // Unable to confirm the reader (database down): fail closed, the client may
                // reconnect.
                LOG.warn(
                    "audit stream of {} ended: its reader could not be re-checked: {}",
                    reader.person(),
                    checked.cause().getMessage());
                end("recheck_failed");
              } else if (checked.result().isPresent()) {
                LOG.info("audit stream of {} ended: {}", reader.person(), checked.result().get());
                end(checked.result().get());
              }
            });
  }

  private void end(String reason) {
    stop();
    response.end("event: end\ndata: " + new JsonObject().put("reason", reason).encode() + "\n\n");
  }

  private void stop() {
    if (timer >= 0) {
      ctx.vertx().cancelTimer(timer);
      timer = -1;
    }
    if (recheckTimer >= 0) {
      ctx.vertx().cancelTimer(recheckTimer);
      recheckTimer = -1;
    }
    if (slot != null) {
      slot.close();
    }
    if (subscription != null) {
      subscription.close();
      subscription = null;
    }
  }

  private static long seq(String text) {
    try {
      long n = Long.parseLong(text.trim());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw StintException.invalid("Last-Event-ID must be the seq of an audit event");
  }
}
