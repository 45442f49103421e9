package dev.stint.notify.slack;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Socket Mode's envelope protocol: each envelope that comes down a connection is claimed in the
 * database ({@link SlackEnvelopes}), so one Slack sends again is handled once, and acknowledged
 * inside the three seconds Slack waits. Keeping a connection open is {@link SlackSocket}'s.
 */
final class SlackEnvelopeHandler {
  // Under the socket's name: Socket Mode's lines stay under one logger, whichever part writes them.
  private static final Logger LOG = LoggerFactory.getLogger(SlackEnvelopeHandler.class);
  static final Duration ACK_WITHIN = Duration.ofMillis(2500);
  private static final Pattern ENVELOPE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private final Vertx vertx;
  private final SlackInteractions interactions;
  private final SlackEnvelopes envelopes;
  private final Clock clock;

  SlackEnvelopeHandler(
      Vertx vertx, SlackInteractions interactions, SlackEnvelopes envelopes, Clock clock) {
    this.vertx = vertx;
    this.interactions = interactions;
    this.envelopes = envelopes;
    this.clock = clock;
  }

  /**
   * Claims the envelope, hands a first one to the clicks' use case, and acknowledges it when that
   * is done or {@link #ACK_WITHIN} after the claim, whichever comes first. One that cannot be
   * claimed or handled (the database is down) is not acknowledged, so Slack shows the clicker that
   * it failed, as the interaction endpoint's 500 does.
   */
  void handle(SlackSocketConnection c, String envelopeId, String payload) {
    if (envelopeId == null || !ENVELOPE_ID.matcher(envelopeId).matches()) {
      LOG.warn("Slack Socket Mode: an envelope without a usable id was dropped");
      return;
    }
    AtomicBoolean acked = new AtomicBoolean();
    Runnable ack =
        () -> {
          if (acked.compareAndSet(false, true)) {
            send(c, envelopeId);
          }
        };
    envelopes
        .claim(envelopeId, clock.instant())
        .compose(
            first -> {
              if (!first) {
                return again(envelopeId);
              }
              long deadline = vertx.setTimer(ACK_WITHIN.toMillis(), id -> ack.run());
              return interactions
                  .handleEnvelope(payload)
                  .<Void>mapEmpty()
                  .onComplete(ar -> vertx.cancelTimer(deadline));
            })
        .onSuccess(x -> ack.run())
        .onFailure(
            e ->
                LOG.error(
                    "Slack Socket Mode: envelope {} could not be handled{}: {}",
                    envelopeId,
                    acked.get() ? "" : " (not acknowledged)",
                    SocketRefusal.safe(e)));
  }

  private static Future<Void> again(String envelopeId) {
    LOG.info("Slack Socket Mode: envelope {} was already taken; acknowledged only", envelopeId);
    return Future.succeededFuture();
  }

  private static void send(SlackSocketConnection c, String envelopeId) {
    try {
      c.ack(envelopeId);
    } catch (RuntimeException e) {
      LOG.warn(
          "Slack Socket Mode: could not acknowledge envelope {}: {}",
          envelopeId,
          SocketRefusal.safe(e));
    }
  }
}
