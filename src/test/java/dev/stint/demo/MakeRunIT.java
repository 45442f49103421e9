package dev.stint.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code make run} on a fresh clone does the main job: with no identity provider configured (the
 * shipped ./policies names only a placeholder) it runs the development stack, loudly labelled, on
 * 127.0.0.1, whose sign-in page answers and whose state (a request of alice's) is still there at
 * the next run; with a policy directory named, it runs {@code stint serve}, which is not ready and
 * says which issuer. The build is the one {@code mvn package} made ({@code MVN=false}: make never
 * builds here), and the state goes to a directory of the test's ({@code DEV_STATE}).
 */
class MakeRunIT {
  static final long LIMIT_MINUTES = 3;
  static final Pattern IDP = Pattern.compile("dev IdP\\s+(http://127\\.0\\.0\\.1:\\d+)");
  @TempDir Path home;
  final HttpClient http =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NORMAL)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  @Test
  void withNoIdentityProviderItRunsTheDevelopmentStackAndKeepsItsState() throws Exception {
    int port = freePort();
    Path state = home.resolve("stint-dev");
    String idp;
    String request;
    try (Run run = Run.make(home, Map.of("STINT_LISTEN", "127.0.0.1:" + port), state, "Ctrl-C")) {
      assertThat(run.err())
          .anyMatch(
              l ->
                  l.startsWith(
                      "stint: policies: no identity provider: corp (https://login.example.com)"
                          + " is a placeholder"));
      assertThat(run.out())
          .contains(
              "make run: no identity provider is configured, so this is the DEVELOPMENT stack"
                  + " (make demo's):")
          .anyMatch(l -> l.startsWith("stint demo is running. DEVELOPMENT ONLY"))
          .anyMatch(
              l ->
                  l.startsWith(
                      "Ctrl-C stops the demo; its database, keys and CLI login stay in " + state));
      URI base = URI.create("http://127.0.0.1:" + port);
      HttpResponse<String> ready = get(base.resolve("/readyz"), null);
      assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
      assertThat(new JsonObject(ready.body()).getJsonObject("checks").getString("issuers"))
          .isEqualTo("ok");
      HttpResponse<String> signIn = get(base.resolve("/ui"), null);
      assertThat(signIn.body()).contains("<title>" + DevIdp.PAGE_TITLE + "</title>");

      idp = run.matching(IDP);
      request = new JsonObject(post(base.resolve("/v1/requests"), token(idp))).getString("id");
    }
    try (Run again = Run.make(home, Map.of("STINT_LISTEN", "127.0.0.1:" + port), state, "Ctrl-C")) {
      assertThat(again.matching(IDP))
          .as("the IdP keeps its URL, the issuer of its people")
          .isEqualTo(idp);
      HttpResponse<String> mine =
          get(URI.create("http://127.0.0.1:" + port + "/v1/requests?mine=true"), token(idp));
      assertThat(mine.body()).as("alice's request, kept").contains(request);
    }
  }

  @Test
  void aPolicyDirectoryNamedRunsStintServe() throws Exception {
    int port = freePort();
    Map<String, String> env =
        Map.of(
            "STINT_LISTEN",
            "127.0.0.1:" + port,
            "STINT_PUBLIC_URL",
            "http://127.0.0.1:" + port,
            "STINT_POLICIES",
            "policies",
            "STINT_DATA_DIR",
            home.resolve("data").toString());
    try (Run run = Run.make(home, env, home.resolve("unused"), "stint listening on")) {
      assertThat(run.out()).noneMatch(l -> l.contains("DEVELOPMENT"));
      HttpResponse<String> ready = get(URI.create("http://127.0.0.1:" + port + "/readyz"), null);
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(new JsonObject(ready.body()).getJsonObject("checks").getString("issuers"))
          .contains("corp (https://login.example.com, a placeholder");
    }
  }

  String token(String idp) throws Exception {
    return get(URI.create(idp + "/dev/token?user=alice"), null).body().strip();
  }

  HttpResponse<String> get(URI uri, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  String post(URI uri, String token) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"profile\":\"demo-admin\",\"duration_seconds\":1800,"
                            + "\"reason\":\"kept across runs\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return r.body();
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }

  /** {@code make -s run} in the checkout, its output read line by line, stopped as by SIGTERM. */
  static final class Run implements AutoCloseable {
    private final Process make;
    private final List<String> out = Collections.synchronizedList(new ArrayList<>());
    private final List<String> err = Collections.synchronizedList(new ArrayList<>());

    private Run(Process make) {
      this.make = make;
    }

    /** Starts it, and waits for a line starting {@code started} (or its end, which fails). */
    static Run make(Path home, Map<String, String> env, Path state, String started)
        throws Exception {
      assertThat(Path.of("target/stint-dev.jar")).as("built by mvn package").exists();
      ProcessBuilder builder =
          new ProcessBuilder("make", "-s", "run", "MVN=false", "DEV_STATE=" + state);
      DemoProcess.clean(builder.environment(), home);
      builder.environment().putAll(env);
      Run run = new Run(builder.start());
      CountDownLatch ready = new CountDownLatch(1);
      pump(run.make.getInputStream(), run.out, started, ready);
      pump(run.make.getErrorStream(), run.err, started, ready);
      assertThat(ready.await(LIMIT_MINUTES, TimeUnit.MINUTES)).as("make run started").isTrue();
      assertThat(run.out())
          .as("make run ended early: %s", run.err())
          .anyMatch(l -> l.contains(started));
      return run;
    }

    List<String> out() {
      return List.copyOf(out);
    }

    List<String> err() {
      return List.copyOf(err);
    }

    String matching(Pattern pattern) {
      for (String line : out()) {
        Matcher m = pattern.matcher(line);
        if (m.find()) {
          return m.group(1);
        }
      }
      throw new AssertionError("no line matching " + pattern + " in " + out());
    }

    private static void pump(
        InputStream stream, List<String> lines, String started, CountDownLatch ready) {
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                  for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                    if (line.contains(started)) {
                      ready.countDown();
                    }
                  }
                } catch (IOException e) {
                  // the process ended
                } finally {
                  ready.countDown();
                }
              });
      reader.setDaemon(true);
      reader.start();
    }

    /**
     * SIGTERM to the JVM make started, as Ctrl-C stops it; make then ends as after a normal stop.
     */
    @Override
    public void close() throws Exception {
      make.descendants()
          .filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(false))
          .forEach(ProcessHandle::destroy);
      assertThat(make.waitFor(LIMIT_MINUTES, TimeUnit.MINUTES)).as("make run stopped").isTrue();
      assertThat(make.exitValue()).as("a stop is a normal end: %s", err()).isZero();
    }
  }
}
