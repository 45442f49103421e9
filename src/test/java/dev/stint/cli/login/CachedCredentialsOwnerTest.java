package dev.stint.cli.login;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.cli.CliEnvironment;
import dev.stint.cli.credentials.CachedCredentials;
import dev.stint.common.Fingerprints;
import dev.stint.testing.FakeStintApi;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cached credential is served only to the person it was minted for: after {@code stint login} as
 * someone else, {@code stint logout}, or with a token of someone else, the earlier entry is not
 * printed, by the full command or by the fast path. Real logins against {@link DeviceIdp}.
 */
class CachedCredentialsOwnerTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final String OTHER_SERVER = "https://stint.other.example.com";

  @TempDir Path home;
  private final TestClock clock = new TestClock(NOW);
  private DeviceIdp idp;
  private FakeStintApi api;

  @BeforeEach
  void start() throws Exception {
    idp = new DeviceIdp(clock);
    api = new FakeStintApi();
  }

  @AfterEach
  void stop() {
    api.close();
    idp.close();
  }

  private void login(String who) {
    idp.subject = who;
    Cli cli = cli(Map.of());
    assertThat(cli.run("login", "--issuer", idp.issuer(), "--client-id", DeviceIdp.CLIENT_ID))
        .as(cli.err())
        .isZero();
  }

  private Cli cli(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(Map.of("STINT_SERVER", api.uri().toString()));
    env.putAll(extra);
    return new Cli(home, env, clock);
  }

  /** The server mints a credential for whoever asks; its key id names them. */
  private void serverMintsFor(String who) {
    api.answer(
        "/v1/credentials",
        "{\"cloud\":\"aws\",\"access_key_id\":\"ASIA"
            + who.toUpperCase(Locale.ROOT)
            + "\",\"secret_access_key\":\"s\",\"session_token\":\"t\",\"expiration\":\""
            + NOW.plus(Duration.ofHours(1))
            + "\",\"grant_id\":\"grt_"
            + who
            + "\"}");
  }

  private Cli credentials(Map<String, String> env) {
    Cli cli = cli(env);
    cli.run("credentials", "aws-prod-admin");
    return cli;
  }

  /** What the launcher's JVM fast path prints, or null when it leaves the call to the full CLI. */
  private String fastPath(Map<String, String> extra) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Map<String, String> env = new HashMap<>(Map.of("STINT_SERVER", api.uri().toString()));
    env.putAll(extra);
    CliEnvironment cli =
        new CliEnvironment(
            env, home, clock, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
    return CachedCredentials.print(new String[] {"credentials", "aws-prod-admin"}, cli)
        ? out.toString(StandardCharsets.UTF_8)
        : null;
  }

  private String owner(String who) {
    return Fingerprints.sha256(idp.issuer() + "\n" + who);
  }

  @Test
  void aLoginsOwnEntryIsServedWithoutAskingTheServer() {
    login("alice");
    serverMintsFor("alice");
    Cli first = credentials(Map.of());

    assertThat(first.out()).contains("ASIAALICE");
    assertThat(credentials(Map.of()).out()).isEqualTo(first.out());
    assertThat(fastPath(Map.of())).isEqualTo(first.out());
    assertThat(api.received()).hasSize(1);
  }

  @Test
  void afterLoginAsSomeoneElseTheEarlierEntryIsNotServed() {
    login("alice");
    serverMintsFor("alice");
    credentials(Map.of());

    login("bob");
    assertThat(fastPath(Map.of())).as("the fast path after bob logged in").isNull();
    assertThat(home.resolve(".cache/stint/aws")).as("alice's entry is deleted").isEmptyDirectory();
    serverMintsFor("bob");
    Cli bob = credentials(Map.of());

    assertThat(bob.out()).contains("ASIABOB").doesNotContain("ASIAALICE");
    assertThat(api.received()).hasSize(2);
    assertThat(fastPath(Map.of())).contains("ASIABOB");
  }

  @Test
  void afterLogoutNoEntryOfAnyServerIsServed() {
    login("alice");
    serverMintsFor("alice");
    credentials(Map.of());

    Cli logout = cli(Map.of());
    assertThat(logout.run("logout", "--server", OTHER_SERVER)).as(logout.err()).isZero();

    assertThat(fastPath(Map.of())).isNull();
    Cli after = credentials(Map.of());
    assertThat(after.out()).isEmpty();
    assertThat(after.err()).contains("not logged in");
    assertThat(api.received()).hasSize(1);
  }

  @Test
  void aTokenOfSomeoneElseIsNotServedTheLoginsEntry() {
    login("alice");
    serverMintsFor("alice");
    credentials(Map.of());
    idp.subject = "bob";
    Map<String, String> bobsToken = Map.of("STINT_TOKEN", idp.idToken(99));

    assertThat(fastPath(bobsToken)).isNull();
    serverMintsFor("bob");
    Cli bob = credentials(bobsToken);

    assertThat(bob.out()).contains("ASIABOB");
    assertThat(api.received()).hasSize(2);
    assertThat(api.received().get(1).authorization())
        .isEqualTo("Bearer " + bobsToken.get("STINT_TOKEN"));
  }

  @Test
  void theSamePersonsTokenIsServedTheLoginsEntry() {
    login("alice");
    serverMintsFor("alice");
    Cli first = credentials(Map.of());

    Cli again = credentials(Map.of("STINT_TOKEN", idp.idToken(99)));

    assertThat(again.out()).isEqualTo(first.out());
    assertThat(api.received()).hasSize(1);
  }

  @Test
  void theLoginLeavesAFingerprintOfThePersonNeverTheToken() throws Exception {
    login("alice");
    serverMintsFor("alice");
    credentials(Map.of());

    Path marker = home.resolve(".config/stint/login.owner");
    String stored = Files.readString(home.resolve(".config/stint/login.json"));
    String idToken = stored.replaceAll("(?s).*\"id_token\" : \"([^\"]+)\".*", "$1");
    assertThat(Files.readString(marker)).isEqualTo(owner("alice"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(marker)))
        .isEqualTo("rw-------");
    try (var entries = Files.list(home.resolve(".cache/stint/aws"))) {
      assertThat(entries)
          .singleElement()
          .satisfies(
              entry ->
                  assertThat(Files.readString(entry))
                      .contains("\"owner\":\"" + owner("alice") + "\"")
                      .doesNotContain(idToken));
    }
  }

  /** A login stored by a stint without markers: its first use marks it, then its cache serves. */
  @Test
  void aLoginSavedWithoutAMarkerIsMarkedAtItsNextUse() throws Exception {
    login("alice");
    Files.delete(home.resolve(".config/stint/login.owner"));
    serverMintsFor("alice");

    Cli first = credentials(Map.of());

    assertThat(Files.readString(home.resolve(".config/stint/login.owner")))
        .isEqualTo(owner("alice"));
    assertThat(fastPath(Map.of())).isEqualTo(first.out());
    assertThat(api.received()).hasSize(1);
  }
}
