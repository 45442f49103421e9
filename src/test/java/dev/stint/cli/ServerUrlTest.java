package dev.stint.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A server URL names a server and nothing more: a scheme, a host and perhaps a port (a trailing
 * slash is forgiven). Anything else is a usage error that says what was probably meant, before any
 * request is made.
 */
class ServerUrlTest {
  private static final CliEnvironment ENV =
      new CliEnvironment(Map.of(), Path.of("/tmp"), Clock.systemUTC(), System.out, System.err);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://stint.example.com",
        "https://stint.example.com/",
        "http://127.0.0.1:8080",
        "https://[::1]:8443"
      })
  void aServerIsTakenAsGiven(String raw) {
    assertThat(ServerOptions.serverUrl(Optional.of(raw), ENV))
        .isEqualTo(URI.create(ServerOptions.normalize(raw)));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "stint.example.com|server URL 'stint.example.com' has no scheme: did you mean"
            + " 'https://stint.example.com'?",
        "localhost:8080|server URL 'localhost:8080' has no scheme: did you mean"
            + " 'https://localhost:8080'?",
        "https://stint.example.com/v1|server URL 'https://stint.example.com/v1' names more than"
            + " the server (stint's API is at its root): did you mean 'https://stint.example.com'?",
        "http://127.0.0.1:8080/ui/requests|server URL 'http://127.0.0.1:8080/ui/requests' names"
            + " more than the server (stint's API is at its root): did you mean"
            + " 'http://127.0.0.1:8080'?",
        "https://stint.example.com?x=1|server URL 'https://stint.example.com?x=1' names more than"
            + " the server (stint's API is at its root): did you mean 'https://stint.example.com'?",
        "https://alice@stint.example.com|server URL 'https://alice@stint.example.com' names more"
            + " than the server (stint's API is at its root): did you mean"
            + " 'https://stint.example.com'?",
        "ftp://stint.example.com|server URL 'ftp://stint.example.com' must be"
            + " http(s)://HOST[:PORT]"
      })
  void anythingElseIsAUsageErrorWithASuggestion(String raw, String message) {
    assertThatThrownBy(() -> ServerOptions.serverUrl(Optional.of(raw), ENV))
        .isInstanceOfSatisfying(
            CliException.class, e -> assertThat(e.exitCode()).isEqualTo(CliException.USAGE))
        .hasMessage(message);
  }
}
