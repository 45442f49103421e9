package dev.stint.mint.aws;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.async.AsyncExecuteRequest;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;

/**
 * The AWS SDK's asynchronous HTTP transport on stint's own Vert.x HTTP client: the SDK marshals,
 * signs, retries and parses as always, while the bytes travel on the event loops stint already
 * runs, so an STS call holds no thread while it waits. Measured against the blocking Apache client
 * on a 64-thread pool, an {@code AssumeRole} to a local fake took clearly less CPU (docs/design.md,
 * "Figures behind choices in the code"). The SDK's own Netty client was not an option: it is built
 * for an older Netty line than the one Vert.x runs.
 *
 * <p>HTTP/1.1 only, TLS with the JVM's trust store and host name verification (Vert.x's defaults,
 * set here explicitly). The request goes out exactly as the SDK signed it: its headers, its {@code
 * Host} as the authority, its body. Transport failures reach the SDK as {@link IOException}s, which
 * its retry strategy treats like any other I/O error.
 */
public final class VertxSdkHttpClient implements SdkAsyncHttpClient {
  /** STS and IAM answers are a few kilobytes; anything this large is not one of them. */
  static final int MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

  private final Vertx vertx;
  private final HttpClient http;
  private final long timeoutMillis;

  /**
   * @param maxConnections connections per host kept in the pool
   * @param timeout connect timeout, and the longest the connection may stay silent during a call
   */
  public VertxSdkHttpClient(Vertx vertx, int maxConnections, Duration timeout) {
    this.vertx = vertx;
    this.timeoutMillis = Math.max(1, timeout.toMillis());
    HttpClientOptions options =
        new HttpClientOptions()
            .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMillis))
            .setKeepAlive(true)
            .setVerifyHost(true)
            .setTrustAll(false)
            .setDecompressionSupported(false);
    // As many waiting for a connection as there are connections: when AWS hangs, calls beyond
    // that fail at once (the SDK retries, then reports AWS unavailable) instead of queueing
    // without bound.
    this.http =
        vertx
            .httpClientBuilder()
            .with(options)
            .with(
                new PoolOptions()
                    .setHttp1MaxSize(maxConnections)
                    .setMaxWaitQueueSize(maxConnections))
            .build();
  }

  @Override
  public CompletableFuture<Void> execute(AsyncExecuteRequest call) {
    Exchange exchange = new Exchange(call);
    exchange.start();
    return exchange.done;
  }

  @Override
  public String clientName() {
    return "stint-vertx";
  }

  @Override
  public void close() {
    http.close(); // closes its connections in the background; never blocks the caller
  }

  /** One request and its answer; {@code done} completes once the SDK has the whole body. */
  private final class Exchange {
    final AsyncExecuteRequest call;
    final CompletableFuture<Void> done = new CompletableFuture<>();

    /**
     * Every step of the exchange runs here. Off its context, a response could end before the code
     * that wants its body had attached a handler (the SDK calls from its own threads).
     */
    private final Context context = vertx.getOrCreateContext();

    private volatile HttpClientRequest sent;

    Exchange(AsyncExecuteRequest call) {
      this.call = call;
      // The SDK cancels the future when its attempt timeout fires: drop the connection too.
      done.whenComplete(
          (v, e) -> {
            HttpClientRequest r = sent;
            if (done.isCancelled() && r != null) {
              onContext(r::reset);
            }
          });
      // (Cancelled while still waiting for a connection: send() sees it and does not send.)
    }

    void start() {
      call.requestContentPublisher()
          .subscribe(
              new BodyCollector(
                  body -> onContext(() -> send(body)), e -> onContext(() -> fail(e))));
    }

    private void onContext(Runnable step) {
      if (Vertx.currentContext() == context) {
        step.run();
      } else {
        context.runOnContext(v -> step.run());
      }
    }

    private void send(Buffer body) {
      SdkHttpRequest r = call.request();
      RequestOptions options =
          new RequestOptions()
              .setMethod(HttpMethod.valueOf(r.method().name()))
              .setHost(r.host())
              .setPort(r.port())
              .setSsl("https".equalsIgnoreCase(r.protocol()))
              .setURI(pathAndQuery(r))
              .setFollowRedirects(false)
              .setIdleTimeout(timeoutMillis);
      MultiMap headers = MultiMap.caseInsensitiveMultiMap();
      String host = null;
      for (Map.Entry<String, List<String>> h : r.headers().entrySet()) {
        if (h.getKey().equalsIgnoreCase("Host")) {
          host = h.getValue().get(0);
        } else {
          headers.add(h.getKey(), h.getValue());
        }
      }
      options.setHeaders(headers);
      String signedHost = host;
      http.request(options)
          .compose(
              request -> {
                sent = request;
                if (done.isDone()) {
                  request.reset();
                  return Future.failedFuture(new IOException("cancelled before it was sent"));
                }
                if (signedHost != null) {
                  // The Host the SDK signed, byte for byte (host, or host:port when not default).
                  request.authority(HostAndPort.parseAuthority(signedHost, -1));
                }
                return request.send(body);
              })
          .onSuccess(this::receive)
          .onFailure(this::fail);
    }

    private void receive(HttpClientResponse response) {
      Buffer body = Buffer.buffer();
      response.handler(
          chunk -> {
            if (body.length() + chunk.length() > MAX_RESPONSE_BYTES) {
              fail(new IOException("AWS answered with more than " + MAX_RESPONSE_BYTES + " bytes"));
              response.request().reset();
            } else {
              body.appendBuffer(chunk);
            }
          });
      response.exceptionHandler(this::fail);
      response.endHandler(v -> deliver(response, body));
    }

    private void deliver(HttpClientResponse response, Buffer body) {
      if (done.isDone()) {
        return;
      }
      SdkHttpResponse.Builder headers =
          SdkHttpResponse.builder()
              .statusCode(response.statusCode())
              .statusText(response.statusMessage());
      response.headers().names().forEach(n -> headers.putHeader(n, response.headers().getAll(n)));
      call.responseHandler().onHeaders(headers.build());
      call.responseHandler().onStream(new OneBuffer(ByteBuffer.wrap(body.getBytes()), done));
    }

    private void fail(Throwable t) {
      if (done.isDone()) {
        return;
      }
      Throwable io =
          t instanceof IOException
              ? t
              : new IOException(
                  "AWS transport: "
                      + t.getClass().getSimpleName()
                      + (t.getMessage() == null ? "" : ": " + t.getMessage()),
                  t);
      call.responseHandler().onError(io);
      done.completeExceptionally(io);
    }
  }

  /** The path and query exactly as the SDK encoded them (and signed them). */
  static String pathAndQuery(SdkHttpRequest r) {
    String path = r.encodedPath();
    String pathPart = path == null || path.isEmpty() ? "/" : path;
    return r.encodedQueryParameters().map(q -> pathPart + "?" + q).orElse(pathPart);
  }

  /** Collects the SDK's request body (a few kilobytes of form data) before sending it. */
  private static final class BodyCollector implements Subscriber<ByteBuffer> {
    private final Consumer<Buffer> complete;
    private final Consumer<Throwable> failed;
    private final Buffer body = Buffer.buffer();

    BodyCollector(Consumer<Buffer> complete, Consumer<Throwable> failed) {
      this.complete = complete;
      this.failed = failed;
    }

    @Override
    public void onSubscribe(Subscription s) {
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(ByteBuffer b) {
      byte[] bytes = new byte[b.remaining()];
      b.get(bytes);
      body.appendBytes(bytes);
    }

    @Override
    public void onError(Throwable t) {
      failed.accept(t);
    }

    @Override
    public void onComplete() {
      complete.accept(body);
    }
  }

  /**
   * The whole response body as a one-element stream; {@code done} completes when it has been handed
   * over (or the SDK cancelled it).
   */
  static final class OneBuffer implements Publisher<ByteBuffer> {
    private final ByteBuffer body;
    private final CompletableFuture<Void> done;

    OneBuffer(ByteBuffer body, CompletableFuture<Void> done) {
      this.body = body;
      this.done = done;
    }

    @Override
    public void subscribe(Subscriber<? super ByteBuffer> subscriber) {
      subscriber.onSubscribe(
          new Subscription() {
            private boolean finished;

            // The SDK may ask from any thread: one answer, handed over once.
            @Override
            public synchronized void request(long n) {
              if (finished) {
                return;
              }
              finished = true;
              if (n <= 0) {
                subscriber.onError(new IllegalArgumentException("request(" + n + "): must be > 0"));
                done.complete(null);
                return;
              }
              if (body.hasRemaining()) {
                subscriber.onNext(body);
              }
              subscriber.onComplete();
              done.complete(null);
            }

            @Override
            public synchronized void cancel() {
              finished = true;
              done.complete(null);
            }
          });
    }
  }
}
