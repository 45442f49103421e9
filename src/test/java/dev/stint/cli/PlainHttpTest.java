package dev.stint.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stint.testing.CliRun;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CLI never sends a token over plain http to anything but a loopback address unless told {@code
 * --insecure}: anyone on the path could read the token and act as its holder.
 */
class PlainHttpTest {
  @TempDir Path home;

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://127.0.0.1:8080",
        "http://127.1.2.3:9",
        "http://[::1]:8080",
        "http://localhost:8080",
        "http://LOCALHOST",
        "https://stint.example.com",
        "https://10.0.0.1:8443"
      })
  void loopbackAndHttpsAreAllowed(String url) {
    assertThat(new ApiClient(URI.create(url), "a.token").server()).isEqualTo(URI.create(url));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://stint.example.com",
        "http://10.0.0.1:8080",
        "http://127.0.0.1.example.com",
        "http://localhost.example.com:8080",
        "http://[::2]:8080",
        "http://0.0.0.0:8080"
      })
  void plainHttpElsewhereIsRefusedSayingWhy(String url) {
    assertThatThrownBy(() -> new ApiClient(URI.create(url), "a.token"))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("plain http")
        .hasMessageContaining("--insecure")
        .hasMessageNotContaining("a.token");
    assertThat(new ApiClient(URI.create(url), "a.token", true).server()).isEqualTo(URI.create(url));
  }

  @Test
  void theFlagReachesTheClient() {
    ServerOptions options = new ServerOptions();
    new picocli.CommandLine(options).parseArgs("--insecure", "--server", "http://10.0.0.1:8080");
    assertThat(options.insecure()).isTrue();
    assertThat(ServerOptions.of("http://10.0.0.1:8080", null, false).insecure()).isFalse();
  }

  @Test
  void withoutATokenNothingSecretIsSent() {
    assertThat(ApiClient.anonymous(URI.create("http://stint.example.com")).server().getHost())
        .isEqualTo("stint.example.com");
  }

  @Test
  void commandsRefuseBeforeConnecting() throws Exception {
    Path token = Files.writeString(home.resolve("token"), "header.payload.signature\n");
    // Port 9 of a documentation address: nothing would answer if a request were sent.
    CliRun refused =
        CliRun.run(
            home,
            Map.of(),
            "whoami",
            "--server",
            "http://192.0.2.1:9",
            "--token-file",
            token.toString());
    assertThat(refused.exitCode()).isEqualTo(CliException.USAGE);
    assertThat(refused.err())
        .contains("plain http")
        .contains("--insecure")
        .doesNotContain("header.payload.signature");
    CliRun fromEnv =
        CliRun.run(
            home,
            Map.of("STINT_SERVER", "http://192.0.2.1:9"),
            "credentials",
            "aws-prod",
            "--token-file",
            token.toString());
    assertThat(fromEnv.exitCode()).isEqualTo(CliException.USAGE);
    assertThat(fromEnv.err()).contains("--insecure");
  }
}
