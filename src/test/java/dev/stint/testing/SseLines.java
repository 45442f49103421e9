package dev.stint.testing;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A server-sent-events reader for tests: the response's lines arrive on a queue, read by a daemon
 * thread; every wait is bounded. The end of the stream is seen as {@link #END}.
 */
public final class SseLines implements AutoCloseable {
  /** Queued once the server has ended the stream (or the connection broke). */
  public static final String END = "\u0000end of stream";

  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final CompletableFuture<HttpResponse<Stream<String>>> response;

  private SseLines(CompletableFuture<HttpResponse<Stream<String>>> response) {
    this.response = response;
  }

  public static SseLines open(HttpClient http, HttpRequest request) {
    var future = http.sendAsync(request, HttpResponse.BodyHandlers.ofLines());
    SseLines sse = new SseLines(future);
    Thread reader =
        new Thread(
            () -> {
              try {
                future.join().body().forEach(sse.lines::add);
              } catch (RuntimeException ignored) {
                // the stream broke or the test closed it
              }
              sse.lines.add(END);
            });
    reader.setDaemon(true);
    reader.start();
    return sse;
  }

  /** The response status, once the head has arrived. */
  public int status() {
    return response.join().statusCode();
  }

  /** The first line (within ten seconds) that matches; fails naming what was seen. */
  public String await(Predicate<String> match) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    List<String> seen = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (line != null && match.test(line)) {
        return line;
      }
      if (line != null) {
        seen.add(line);
      }
    }
    throw new AssertionError("no matching line; saw " + seen);
  }

  @Override
  public void close() {
    response.thenAccept(r -> r.body().close());
  }
}
