package dev.stint.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.stint.demo.HttpForms;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The HTTPS side shared by the Google and Entra fakes: a JDK HTTPS server on 127.0.0.1, port 0,
 * presenting a {@link TestTls} certificate; every request recorded (method, path, query, headers,
 * body and its form fields) for assertions. Subclasses answer. An answer can be held until the fake
 * closes, which is how tests make an upstream hang without sleeping.
 */
public abstract class FakeHttpsEndpoint implements AutoCloseable {
  /** One received request. Header names are lower case. */
  public record Call(
      String method,
      String path,
      String query,
      Map<String, List<String>> headers,
      String body,
      Map<String, String> form) {
    public String header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null || values.isEmpty() ? null : values.get(0);
    }

    public String form(String name) {
      return form.get(name);
    }
  }

  /** An answer: status, content type and body; {@link #HANG} never answers. */
  protected record Answer(int status, String contentType, String body) {
    static Answer json(int status, String body) {
      return new Answer(status, "application/json; charset=utf-8", body);
    }
  }

  /** Holds the request open until the fake is closed. */
  protected static final Answer HANG = new Answer(0, "", "");

  static {
    // The JDK server writes headers and body in separate packets; without TCP_NODELAY each
    // answer then waits out the client's delayed ACK. Read once per JVM, before the
    // first server is created.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private final TestTls tls;
  private final HttpsServer server;
  private final ExecutorService pool =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "fake-https");
            t.setDaemon(true);
            return t;
          });
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final CountDownLatch closed = new CountDownLatch(1);

  protected FakeHttpsEndpoint(TestTls tls) {
    this.tls = tls;
    try {
      server = HttpsServer.create(new InetSocketAddress(TestTls.loopback(), 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    server.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
    server.createContext("/", this::handle);
    server.setExecutor(pool);
    server.start();
  }

  /** The base URL, {@code https://127.0.0.1:PORT}. */
  public URI uri() {
    return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The TLS material: clients under test trust {@code tls().clientContext()}. */
  public TestTls tls() {
    return tls;
  }

  public List<Call> calls() {
    return List.copyOf(calls);
  }

  /** The calls matching {@code which}, in order. */
  public List<Call> calls(Predicate<Call> which) {
    return calls.stream().filter(which).toList();
  }

  protected abstract Answer answer(Call call);

  /** Headers every answer to {@code call} carries besides Content-Type. */
  protected Map<String, String> answerHeaders(Call call) {
    return Map.of();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body;
      try (InputStream in = exchange.getRequestBody()) {
        body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      Map<String, List<String>> headers = new LinkedHashMap<>();
      exchange
          .getRequestHeaders()
          .forEach(
              (name, values) -> headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
      String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
      Map<String, String> form =
          contentType != null && contentType.startsWith("application/x-www-form-urlencoded")
              ? parseForm(body)
              : Map.of();
      Call call =
          new Call(
              exchange.getRequestMethod(),
              exchange.getRequestURI().getRawPath(),
              exchange.getRequestURI().getRawQuery(),
              headers,
              body,
              form);
      calls.add(call);
      Answer answer = answer(call);
      if (answer == HANG) {
        awaitClose();
        return;
      }
      byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", answer.contentType());
      answerHeaders(call).forEach(exchange.getResponseHeaders()::set);
      exchange.sendResponseHeaders(answer.status(), bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private void awaitClose() {
    try {
      closed.await(Patience.minutes(1), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static Map<String, String> parseForm(String body) {
    return HttpForms.parse(body);
  }

  @Override
  public void close() {
    closed.countDown();
    server.stop(0);
    pool.shutdownNow();
  }
}
