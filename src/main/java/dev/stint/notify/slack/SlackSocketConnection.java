package dev.stint.notify.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.Slack;
import com.slack.api.socket_mode.impl.SocketModeClientJavaWSImpl;
import com.slack.api.socket_mode.queue.impl.ConcurrentLinkedMessageQueue;
import com.slack.api.socket_mode.response.AckResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * One Socket Mode WebSocket, through the Slack client's Java-WebSocket backend. It never reconnects
 * on its own: the client's own session monitor stops for good at the first refusal of {@code
 * apps.connections.open}, so {@link SlackSocket} decides when to open a new connection, and this
 * one only reports what it hears ({@link Events}).
 */
final class SlackSocketConnection extends SocketModeClientJavaWSImpl {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What a connection tells its owner, from the client's threads. */
  interface Events {
    /** Slack's {@code hello}: the connection is ready for envelopes. */
    void hello(SlackSocketConnection connection, int connections);

    /** Slack's {@code disconnect}: this connection will close soon ({@code reason} says why). */
    void disconnectAsked(SlackSocketConnection connection, String reason);

    /** An {@code interactive} envelope: a button click. */
    void envelope(SlackSocketConnection connection, String envelopeId, String payload);

    /** The connection closed, or never opened. */
    void lost(SlackSocketConnection connection, String why);
  }

  private final Events events;
  private volatile boolean greeted;

  /**
   * A connection to {@code wss}, not yet open: one message worker (a click is handed on at once,
   * never handled on it), no reconnects, no session monitor.
   */
  SlackSocketConnection(Slack slack, String appToken, URI wss, Events events)
      throws URISyntaxException {
    super(slack, appToken, wss.toString(), 1, new ConcurrentLinkedMessageQueue(), false, false, 0);
    this.events = events;
    addInteractiveEnvelopeListener(
        e ->
            events.envelope(
                this, e.getEnvelopeId(), e.getPayload() == null ? "" : e.getPayload().toString()));
    addWebSocketCloseListener((code, reason) -> events.lost(this, "closed (" + code + ")"));
    addWebSocketErrorListener(e -> events.lost(this, e.getClass().getSimpleName()));
  }

  /** {@code hello} and {@code disconnect} go to the owner; envelopes to the client's dispatch. */
  @Override
  public void processMessage(String message) throws IOException {
    JsonNode m;
    try {
      m = JSON.readTree(message);
    } catch (IOException e) {
      return;
    }
    if (m == null) {
      return;
    }
    switch (m.path("type").asText("")) {
      case "hello" -> {
        greeted = true;
        events.hello(this, m.path("num_connections").asInt(1));
      }
      case "disconnect" -> events.disconnectAsked(this, m.path("reason").asText("unknown"));
      default -> super.processMessage(message);
    }
  }

  /** Never called by stint; kept from the client so nothing it does can reconnect behind it. */
  @Override
  public void connectToNewEndpoint() {
    events.disconnectAsked(this, "the client asked for a new connection");
  }

  /** Whether Slack greeted this connection ({@code hello}), so it was ready for envelopes. */
  boolean greeted() {
    return greeted;
  }

  /** The acknowledgement Slack waits for, on this connection: {@code {"envelope_id": …}}. */
  void ack(String envelopeId) {
    sendSocketModeResponse(new AckResponse(envelopeId));
  }
}
