package dev.stint.demo;

import dev.stint.standin.QueryRequest;
import dev.stint.standin.QueryServer;
import dev.stint.standin.StandInReply;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What the demo's local stand-ins (AWS STS, IAM and sign-in, and Slack) share: a {@link
 * QueryServer} on 127.0.0.1, port 0, so it can never be reached from another machine. Subclasses
 * answer without blocking: the server runs on one event loop.
 */
public abstract class AwsStandIn implements AutoCloseable {
  private final QueryServer server;

  /** A stand-in whose refusals of a request that is not a form are AWS's generic fault. */
  protected AwsStandIn() {
    this(QueryServer.FAULT_NAMESPACE);
  }

  /** A stand-in for the service of the XML {@code namespace}, in which it refuses. */
  protected AwsStandIn(String namespace) {
    server = new QueryServer(namespace, this::reply);
  }

  /** The base URL, e.g. {@code http://127.0.0.1:PORT}. */
  public URI uri() {
    return server.uri();
  }

  /**
   * The reply to {@code request}: {@link #answer}'s, at once. A reply that must wait for something
   * (a click sent on to stint) completes when it has, and no thread waits for it.
   */
  protected CompletionStage<StandInReply> reply(QueryRequest request) {
    return CompletableFuture.completedFuture(answer(request));
  }

  protected abstract StandInReply answer(QueryRequest request);

  @Override
  public void close() {
    server.close();
  }
}
