package dev.stint.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stint.http.MetricsRoutes.Refusal;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * /metrics answers callers on this host (the TCP peer on loopback, never a header's word), or
 * anyone with the bearer token once one is set; it may also have a listener of its own.
 */
class MetricsAccessIT {
  private static final String TOKEN = "scrape-me-0123456789abcdef";

  /** An answer read off the socket: its status and everything after the status line. */
  record Raw(int status, String rest) {}

  /**
   * An address of this host that is not loopback: a call from it reaches a server on 127.0.0.1 with
   * that address as its TCP peer, as a scraper elsewhere on the network would.
   */
  static Optional<InetAddress> notLoopback() throws SocketException {
    return NetworkInterface.networkInterfaces()
        .flatMap(NetworkInterface::inetAddresses)
        .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
        .findFirst();
  }

  /** GET /metrics from {@code from}, with these headers, over HTTP/1.1 on a plain socket. */
  static Raw scrape(URI base, InetAddress from, Map<String, String> headers) throws IOException {
    try (Socket s = new Socket()) {
      s.bind(new InetSocketAddress(from, 0));
      s.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
      s.setSoTimeout(10_000);
      StringBuilder request =
          new StringBuilder(
              "GET /metrics HTTP/1.1\r\nHost: "
                  + base.getHost()
                  + ":"
                  + base.getPort()
                  + "\r\nConnection: close\r\n");
      headers.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
      OutputStream out = s.getOutputStream();
      out.write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int firstSpace = answer.indexOf(' ');
      return new Raw(
          Integer.parseInt(answer.substring(firstSpace + 1, firstSpace + 4)),
          answer.substring(answer.indexOf("\r\n") + 2));
    }
  }

  static void refused(Raw r, int status, String code) {
    assertThat(r.status()).as(r.rest()).isEqualTo(status);
    assertThat(r.rest())
        .contains("application/problem+json")
        .contains("\"code\":\"" + code + "\"")
        .doesNotContain("# TYPE");
  }

  @Test
  void withoutATokenOnlyCallersOnThisHostScrape() throws Exception {
    Optional<InetAddress> elsewhere = notLoopback();
    assumeTrue(elsewhere.isPresent(), "this host has no address besides loopback");
    try (TestServer server = TestServer.start(TestPostgres.migratedDatabase(), Map.of())) {
      URI base = server.uri("/");
      refused(scrape(base, elsewhere.get(), Map.of()), 403, "forbidden");
      // The header is the caller's word, never the peer's address.
      refused(
          scrape(base, elsewhere.get(), Map.of("X-Forwarded-For", "127.0.0.1")), 403, "forbidden");
      HttpResponse<String> local = server.get("/metrics");
      assertThat(local.statusCode()).isEqualTo(200);
      assertThat(local.body()).contains("# TYPE");
    }
  }

  @Test
  void withATokenMetricsNeedIt() throws Exception {
    try (TestServer server =
        TestServer.start(TestPostgres.migratedDatabase(), Map.of("STINT_METRICS_TOKEN", TOKEN))) {
      HttpResponse<String> none = server.get("/metrics");
      assertThat(none.statusCode()).isEqualTo(401);
      assertThat(new JsonObject(none.body()).getString("code")).isEqualTo("unauthenticated");
      assertThat(none.body()).doesNotContain("# TYPE");
      HttpResponse<String> wrong = server.get("/metrics", TOKEN + "x");
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(server.get("/metrics", TOKEN.substring(1)).statusCode()).isEqualTo(401);
      HttpResponse<String> right = server.get("/metrics", TOKEN);
      assertThat(right.statusCode()).isEqualTo(200);
      assertThat(right.body()).contains("# TYPE");

      Optional<InetAddress> elsewhere = notLoopback();
      assumeTrue(elsewhere.isPresent(), "this host has no address besides loopback");
      refused(scrape(server.uri("/"), elsewhere.get(), Map.of()), 401, "unauthenticated");
      Raw scraped =
          scrape(server.uri("/"), elsewhere.get(), Map.of("Authorization", "Bearer " + TOKEN));
      assertThat(scraped.status()).isEqualTo(200);
      assertThat(scraped.rest()).contains("# TYPE");
    }
  }

  @Test
  void withAListenerOfItsOwnMetricsLeaveTheMainListener() throws Exception {
    try (TestServer server =
        TestServer.start(
            TestPostgres.migratedDatabase(), Map.of("STINT_METRICS_LISTEN", "127.0.0.1:0"))) {
      assertThat(server.get("/metrics").statusCode()).isEqualTo(404);
      int port = server.server().metricsPort().orElseThrow();
      assertThat(port).isNotEqualTo(server.uri("/").getPort());
      URI metrics = URI.create("http://127.0.0.1:" + port + "/");
      HttpResponse<String> scraped =
          server.send(HttpRequest.newBuilder(metrics.resolve("/metrics")).build());
      assertThat(scraped.statusCode()).isEqualTo(200);
      assertThat(scraped.body()).contains("vertx_http_server_requests_total");
      // Only metrics there: the API is not served on the metrics listener.
      assertThat(
              server.send(HttpRequest.newBuilder(metrics.resolve("/healthz")).build()).statusCode())
          .isEqualTo(404);
      // Its own listener does not open it to other hosts.
      Optional<InetAddress> elsewhere = notLoopback();
      assumeTrue(elsewhere.isPresent(), "this host has no address besides loopback");
      refused(scrape(metrics, elsewhere.get(), Map.of()), 403, "forbidden");
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      textBlock =
          """
      IPv4 loopback                | -                  | 127.0.0.1      | false | -          | ok
      anywhere in 127/8            | -                  | 127.8.9.10     | false | -          | ok
      IPv6 loopback                | -                  | ::1            | false | -          | ok
      IPv6 loopback, long form     | -                  | 0:0:0:0:0:0:0:1 | false | -         | ok
      another host                 | -                  | 10.0.0.5       | false | -          | forbidden
      another IPv6 host            | -                  | 2001:db8::1    | false | -          | forbidden
      no known peer                | -                  | -              | false | -          | forbidden
      relayed by a local proxy     | -                  | 127.0.0.1      | true  | -          | forbidden
      token: none sent             | scrape-me-01234567 | 127.0.0.1      | false | -          | unauthenticated
      token: wrong                 | scrape-me-01234567 | 127.0.0.1      | false | Bearer x   | unauthenticated
      token: not as bearer         | scrape-me-01234567 | 127.0.0.1      | false | Basic scrape-me-01234567 | unauthenticated
      token: from another host     | scrape-me-01234567 | 203.0.113.7    | true  | Bearer scrape-me-01234567 | ok
      """)
  void whoMayScrape(
      String why,
      String token,
      String peer,
      boolean forwarded,
      String authorization,
      String expected) {
    MetricsRoutes routes =
        new MetricsRoutes(
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Optional.ofNullable(token));
    Optional<Refusal> refusal =
        routes.refusal(Optional.ofNullable(peer), forwarded, Optional.ofNullable(authorization));
    assertThat(refusal.map(r -> r.code().code()).orElse("ok")).isEqualTo(expected);
  }

  /** A sidecar on the same host relays others' requests from loopback: its headers refuse. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "Forwarded",
        "X-Forwarded-For",
        "X-Forwarded-Proto",
        "Via",
        "X-Forwarded-Client-Cert",
        "x-envoy-external-address",
        "X-Envoy-Attempt-Count"
      })
  void aProxysHeadersMarkARequestAsRelayed(String header) {
    assertThat(MetricsRoutes.forwarded(MultiMap.caseInsensitiveMultiMap().add(header, "x")))
        .isTrue();
    assertThat(
            MetricsRoutes.forwarded(
                MultiMap.caseInsensitiveMultiMap()
                    .add("Accept", "text/plain")
                    .add("User-Agent", "Prometheus/2.53")))
        .isFalse();
  }
}
