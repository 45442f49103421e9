package dev.stint.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stint.testing.CliRun;
import dev.stint.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CliBasicsIT {
  @TempDir Path home;

  private CliEnvironment env(Map<String, String> vars) {
    return new CliEnvironment(vars, home, Clock.systemUTC(), System.out, System.err);
  }

  private static ServerOptions options(String... args) {
    ServerOptions options = new ServerOptions();
    new CommandLine(options).parseArgs(args);
    return options;
  }

  @Test
  void tokenFileBeatsEnvironmentWhichBeatsStoredLogin() throws Exception {
    Path file = home.resolve("token");
    Files.writeString(file, "from.file.token\n");
    TokenSource source =
        new TokenSource(
            env(Map.of("STINT_TOKEN", "from.env.token")), () -> Optional.of("from.stored.login"));
    assertThat(source.token(options("--token-file", file.toString()))).isEqualTo("from.file.token");
    assertThat(source.token(options())).isEqualTo("from.env.token");
    assertThat(new TokenSource(env(Map.of()), () -> Optional.of("stored")).token(options()))
        .isEqualTo("stored");
  }

  @Test
  void missingOrBadTokensAreOneLineErrorsWithoutTheToken() throws Exception {
    TokenSource none = new TokenSource(env(Map.of()), Optional::empty);
    assertThatThrownBy(() -> none.token(options()))
        .hasMessageContaining("not logged in")
        .hasMessageContaining("stint login");
    Files.writeString(home.resolve("empty"), "  \n");
    assertThatThrownBy(() -> none.token(options("--token-file", home.resolve("empty").toString())))
        .hasMessageContaining("is empty");
    assertThatThrownBy(() -> none.token(options("--token-file", home.resolve("nope").toString())))
        .hasMessageContaining("does not exist");
    TokenSource spaced =
        new TokenSource(env(Map.of("STINT_TOKEN", "secret part two")), Optional::empty);
    assertThatThrownBy(() -> spaced.token(options()))
        .hasMessage("STINT_TOKEN does not hold a token");
  }

  @Test
  void serverUrlFromFlagThenEnvironmentThenDefault() {
    assertThat(options("--server", "https://stint.example.com/").serverUrl(env(Map.of())))
        .isEqualTo(URI.create("https://stint.example.com"));
    assertThat(options().serverUrl(env(Map.of("STINT_SERVER", "http://127.0.0.1:9"))))
        .isEqualTo(URI.create("http://127.0.0.1:9"));
    assertThat(options().serverUrl(env(Map.of()))).isEqualTo(URI.create("http://127.0.0.1:8080"));
    assertThatThrownBy(() -> options("--server", "ftp://x").serverUrl(env(Map.of())))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("must be http(s)");
  }

  @Test
  void privateFilesAre0600InA0700Directory() throws Exception {
    Path file = home.resolve("cfg/stint/tokens.json");
    PrivateFiles.write(file, "one");
    PrivateFiles.write(file, "two");
    assertThat(Files.readString(file)).isEqualTo("two");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
        .isEqualTo("rwx------");
    try (var listing = Files.list(file.getParent())) {
      assertThat(listing).containsExactly(file);
    }
  }

  @Test
  void problemAnswersBecomeOneLineErrorsWithTheRequestId() throws Exception {
    try (TestServer server = TestServer.start()) {
      // Outside /v1, so the answer is a 404 problem rather than a 401 for the fake token.
      ApiClient client = new ApiClient(server.uri("/"), "not-checked-here");
      assertThatThrownBy(() -> client.get("/nothing-here", Map.of()))
          .isInstanceOfSatisfying(
              CliException.class,
              e -> {
                assertThat(e.exitCode()).isEqualTo(CliException.REFUSED);
                assertThat(e.getMessage())
                    .contains("no such resource")
                    .contains("(not_found, trace ")
                    .doesNotContain("\n");
              });
    }
  }

  @Test
  void unreachableServerIsSaidPlainly() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    ApiClient client = new ApiClient(URI.create("http://127.0.0.1:" + port), "t");
    assertThatThrownBy(() -> client.get("/healthz", Map.of()))
        .isInstanceOfSatisfying(
            CliException.class,
            e -> {
              assertThat(e.exitCode()).isEqualTo(CliException.UNAVAILABLE);
              assertThat(e.getMessage())
                  .isEqualTo(
                      "cannot reach stint at http://127.0.0.1:" + port + ": connection refused");
            });
  }

  @Test
  void tablesAlignAndStripControlCharacters() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new Table("ID", "STATE")
        .row("req_1", "pending")
        .row("req_22", "ap\u001b[31mproved")
        .row("x", null)
        .print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .isEqualTo("ID      STATE\nreq_1   pending\nreq_22  ap [31mproved\nx       -\n");
  }

  @Test
  void usageErrorsAreOneLineWithExitCode2() {
    CliRun run = CliRun.run(home, Map.of(), "--no-such-flag");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip())
        .startsWith("stint: Unknown option: '--no-such-flag'")
        .endsWith("(see 'stint --help')")
        .doesNotContain("\n");
  }

  @Test
  void versionIsPrinted() {
    CliRun run = CliRun.run(home, Map.of(), "--version");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .matches(
            "stint 0\\.1\\.0(-SNAPSHOT)? \\(commit ([0-9a-f]{12}(-modified)?|unknown),"
                + " built \\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z\\)\n");
  }
}
