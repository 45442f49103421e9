package dev.stint.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The HTTP side shared by the local AWS stand-ins (STS, IAM, sign-in) that {@code stint demo}
 * runs and the tests extend: a JDK HTTP server on 127.0.0.1, port 0, so it can never be reached
 * from another machine; the most recent requests' forms (AWS query protocol body, or the query
 * string) are kept for assertions. Subclasses answer.
 */
public abstract class AwsStandIn implements AutoCloseable {
  /** A long demo must not grow without bound; no test makes this many calls. */
  private static final int KEPT_CALLS = 10_000;

  /** One received request: its method, path, parameters (form body or query) and headers. */
  public record Call(String method, String path, Map<String, String> params,
      Map<String, List<String>> headers) {
    public String param(String name) {
      return params.get(name);
    }
  }

  /** An answer: status, content type and body. */
  public record Answer(int status, String contentType, String body) {
    static Answer html(int status, String body) {
      return new Answer(status, "text/html; charset=utf-8", body);
    }
  }

  static {
    // The JDK server writes headers and body in separate packets; without TCP_NODELAY each
    // answer then waits out the client's delayed ACK (~40 ms), which caps a fake at a few
    // dozen calls/s per connection. Read once per JVM, before the first server is created.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private final HttpServer server;
  private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "aws-stand-in");
    t.setDaemon(true);
    return t;
  });
  private final Deque<Call> calls = new ArrayDeque<>();
  /** Off under load: a benchmark needs no record, and keeping one costs a lock per call. */
  private volatile boolean recording = true;

  protected AwsStandIn() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    server.createContext("/", this::handle);
    server.setExecutor(pool);
    server.start();
  }

  /** The base URL, e.g. {@code http://127.0.0.1:PORT}. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public List<Call> calls() {
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }

  /** The only call with the given {@code Action}, failing when there is not exactly one. */
  public Call onlyCall(String action) {
    List<Call> all = calls();
    List<Call> matching = all.stream().filter(c -> action.equals(c.param("Action"))).toList();
    if (matching.size() != 1) {
      throw new IllegalStateException("expected one " + action + " call, got " + matching.size()
          + ": " + all);
    }
    return matching.get(0);
  }

  protected abstract Answer answer(Call call);

  /** Stops keeping calls (and, in subclasses, what they issued): for long load runs. */
  protected void stopRecording() {
    recording = false;
  }

  protected boolean recording() {
    return recording;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body;
      try (InputStream in = exchange.getRequestBody()) {
        body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      Map<String, String> params = new LinkedHashMap<>(HttpForms.parse(exchange.getRequestURI().getRawQuery()));
      params.putAll(HttpForms.parse(body));
      Call call = new Call(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
          Map.copyOf(params), Map.copyOf(exchange.getRequestHeaders()));
      if (recording) {
        synchronized (calls) {
          calls.addLast(call);
          if (calls.size() > KEPT_CALLS) {
            calls.removeFirst();
          }
        }
      }
      Answer answer = answer(call);
      byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", answer.contentType());
      exchange.getResponseHeaders().set("x-amzn-RequestId", requestId());
      exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  protected static String requestId() {
    return UUID.randomUUID().toString();
  }

  /** XML-escapes text placed in a response element. */
  protected static String xml(String s) {
    return HttpForms.escape(s);
  }

  /** An AWS query-protocol error document (what STS and IAM answer on failure). */
  protected static Answer error(int status, String type, String code, String message) {
    return new Answer(status, "text/xml", "<ErrorResponse><Error><Type>" + type + "</Type><Code>"
        + code + "</Code><Message>" + xml(message) + "</Message></Error><RequestId>"
        + requestId() + "</RequestId></ErrorResponse>");
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
