package dev.stint.facts;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;

/**
 * An answer's body as it arrives, kept up to a cap. What comes past the cap is read and dropped
 * rather than refused, so the connection drains as usual; the answer is then refused whole ({@link
 * #overflowed()}). Written on one connection's event loop.
 */
final class CappedBody implements WriteStream<Buffer> {
  private final int cap;
  private final Buffer kept = Buffer.buffer();
  private boolean overflowed;

  CappedBody(int cap) {
    this.cap = cap;
  }

  int cap() {
    return cap;
  }

  /** The body, when it was within the cap. */
  Buffer body() {
    return kept;
  }

  boolean overflowed() {
    return overflowed;
  }

  @Override
  public Future<Void> write(Buffer data) {
    if (!overflowed && kept.length() + data.length() <= cap) {
      kept.appendBuffer(data);
    } else {
      overflowed = true;
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> end() {
    return Future.succeededFuture();
  }

  @Override
  public CappedBody exceptionHandler(Handler<Throwable> handler) {
    return this;
  }

  @Override
  public CappedBody setWriteQueueMaxSize(int maxSize) {
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return false;
  }

  @Override
  public CappedBody drainHandler(Handler<Void> handler) {
    return this;
  }
}
