package dev.stint.cli.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.cli.CliEnvironment;
import dev.stint.cli.LoginMarker;
import dev.stint.testing.CliRun;
import dev.stint.testing.FakeStintApi;
import dev.stint.testing.TestIdp;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --param NAME=VALUE} on {@code credentials}, {@code env} and {@code console} against a
 * stand-in server: the values are sent as {@code parameters}, and the cached answer, on the full
 * command and on the fast path, is served only when the same values are asked again.
 */
class NarrowedCacheTest {
  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final TestIdp IDP = new TestIdp("corp");
  private static final String TOKEN = IDP.token("alice", "eng");
  @TempDir Path home;
  private final FakeStintApi api = new FakeStintApi();

  NarrowedCacheTest() throws Exception {
    api.answer(
        "/v1/credentials",
        "{\"cloud\":\"aws\",\"access_key_id\":\"ASIANARROWED\",\"secret_access_key\":\"s\","
            + "\"session_token\":\"t\",\"expiration\":\"2026-11-23T11:00:00Z\","
            + "\"credential_id\":\"crd_1\",\"grant_id\":\"g-1\"}");
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @AfterAll
  static void stopIdp() {
    IDP.close();
  }

  private CliRun credentials(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "credentials";
    System.arraycopy(args, 0, all, 1, args.length);
    return CliRun.run(
        home, Map.of("STINT_SERVER", api.uri().toString(), "STINT_TOKEN", TOKEN), CLOCK, all);
  }

  @Test
  void theValuesAreSentAndTheAnswerIsServedAgainOnlyForThem() {
    CliRun teamA = credentials("s3-read", "--param", "bucket=team-a");
    CliRun again = credentials("s3-read", "--param=bucket=team-a");
    CliRun teamB = credentials("s3-read", "--param", "bucket=team-b");
    CliRun none = credentials("s3-read");

    assertThat(teamA.exitCode()).as(teamA.err()).isZero();
    assertThat(again.out()).isEqualTo(teamA.out());
    assertThat(teamB.exitCode()).as(teamB.err()).isZero();
    assertThat(none.exitCode()).as(none.err()).isZero();
    assertThat(api.received())
        .extracting(FakeStintApi.Received::body)
        .as("team-a once; team-b and no values each asked the server")
        .containsExactly(
            "{\"profile\":\"s3-read\",\"parameters\":{\"bucket\":\"team-a\"}}",
            "{\"profile\":\"s3-read\",\"parameters\":{\"bucket\":\"team-b\"}}",
            "{\"profile\":\"s3-read\"}");
  }

  @Test
  void envServesTheCachedEntryOfItsValuesAndConsoleSendsThem() {
    credentials("s3-read", "--param", "bucket=team-a");
    api.answer(
        "/v1/console",
        "{\"url\":\"https://signin.aws.amazon.com/federation?Action=login\","
            + "\"expires_at\":\"2026-11-23T10:15:00Z\"}");
    Map<String, String> env = Map.of("STINT_SERVER", api.uri().toString(), "STINT_TOKEN", TOKEN);

    CliRun exported = CliRun.run(home, env, CLOCK, "env", "s3-read", "--param", "bucket=team-a");
    CliRun console = CliRun.run(home, env, CLOCK, "console", "s3-read", "--param", "bucket=team-a");

    assertThat(exported.out()).contains("export AWS_ACCESS_KEY_ID='ASIANARROWED'");
    assertThat(console.exitCode()).as(console.err()).isZero();
    assertThat(api.received())
        .extracting(FakeStintApi.Received::body)
        .as("env served from the cache; console sent the values")
        .containsExactly(
            "{\"profile\":\"s3-read\",\"parameters\":{\"bucket\":\"team-a\"}}",
            "{\"profile\":\"s3-read\",\"parameters\":{\"bucket\":\"team-a\"}}");
    assertThat(api.received().get(1).path()).isEqualTo("/v1/console");
  }

  /** The fast path reads --param as the full command does, and serves nothing it would refuse. */
  @Test
  void theFastPathServesAnEntryOnlyForItsOwnValues() throws Exception {
    CliRun stored = credentials("s3-read", "--param", "prefix=2026", "--param", "bucket=team-a");
    assertThat(stored.exitCode()).as(stored.err()).isZero();
    LoginMarker.write(
        new CliEnvironment(Map.of(), home, CLOCK, System.out, System.err),
        CacheOwner.of(IDP.issuer(), "alice"));

    assertThat(fast("s3-read", "--param", "bucket=team-a", "--param", "prefix=2026"))
        .as("in any order")
        .isEqualTo(stored.out());
    assertThat(fast("--param=prefix=2026", "s3-read", "--param=bucket=team-a"))
        .isEqualTo(stored.out());
    assertThat(fast("s3-read", "--param", "bucket=team-b", "--param", "prefix=2026")).isNull();
    assertThat(fast("s3-read", "--param", "bucket=team-a")).isNull();
    assertThat(fast("s3-read")).isNull();
    assertThat(
            fast(
                "s3-read",
                "--param",
                "bucket=team-b",
                "--param",
                "bucket=team-a",
                "--param",
                "prefix=2026"))
        .as("a name given twice is the full command's usage error")
        .isNull();
    assertThat(fast("s3-read", "--param", "bucket", "--param", "prefix=2026")).isNull();
    assertThat(fast("s3-read", "--param", "=team-a", "--param", "prefix=2026")).isNull();
    assertThat(fast("s3-read", "--param")).isNull();
  }

  private String fast(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "credentials";
    System.arraycopy(args, 0, all, 1, args.length);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CliEnvironment cli =
        new CliEnvironment(
            Map.of("STINT_SERVER", api.uri().toString()),
            home,
            CLOCK,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            System.err);
    return CachedCredentials.print(all, cli) ? out.toString(StandardCharsets.UTF_8) : null;
  }
}
