package dev.stint.cli.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.cli.CliEnvironment;
import dev.stint.cli.CliException;
import dev.stint.cli.LoginMarker;
import dev.stint.testing.CliRun;
import dev.stint.testing.FakeStintApi;
import dev.stint.testing.TestIdp;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The AWS commands against a stand-in server that answers the documented shapes, with a real ID
 * token (mock-oauth2-server) in {@code STINT_TOKEN}: the cache is keyed to its person.
 */
class AwsCliCommandsTest {
  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final TestIdp IDP = new TestIdp("corp");
  private static final String TOKEN = IDP.token("alice", "eng");
  private static final String OWNER = CacheOwner.of(IDP.issuer(), "alice");
  @TempDir Path home;
  private final FakeStintApi api = new FakeStintApi();

  AwsCliCommandsTest() throws Exception {}

  @AfterEach
  void stop() {
    api.close();
  }

  @AfterAll
  static void stopIdp() {
    IDP.close();
  }

  private Map<String, String> env() {
    return Map.of("STINT_SERVER", api.uri().toString(), "STINT_TOKEN", TOKEN);
  }

  private void answerCredentials(Instant expiration) {
    api.answer(
        "/v1/credentials",
        "{\"cloud\":\"aws\",\"access_key_id\":\"ASIAEXAMPLE\","
            + "\"secret_access_key\":\"s3cr3t'key\",\"session_token\":\"tok/en+\","
            + "\"expiration\":\""
            + expiration
            + "\",\"credential_id\":\"crd_1\",\"grant_id\":\"g-1\"}");
  }

  /** What {@code stint credentials} prints, and caches, at {@link #NOW}. */
  private static String processJson(Instant expiration) {
    return processJson(expiration, NOW.plus(CredentialCache.CHECK_EVERY));
  }

  /**
   * What {@code stint credentials} prints, and caches: one line of JSON, newline included, served
   * without asking the server until {@code checkedUntil}.
   */
  private static String processJson(Instant expiration, Instant checkedUntil) {
    return "{\"Version\":1,\"AccessKeyId\":\"ASIAEXAMPLE\",\"SecretAccessKey\":\"s3cr3t'key\","
        + "\"SessionToken\":\"tok/en+\",\"Expiration\":\""
        + expiration
        + "\",\"grant_id\":\"g-1\","
        + "\"owner\":\""
        + OWNER
        + "\",\"credential_id\":\"crd_1\",\"checked_until\":\""
        + checkedUntil
        + "\"}\n";
  }

  private static Clock at(Duration later) {
    return Clock.fixed(NOW.plus(later), ZoneOffset.UTC);
  }

  @Test
  void printsCredentialProcessJsonAndCachesItPrivately() throws Exception {
    Instant expiration = NOW.plus(Duration.ofHours(1));
    answerCredentials(expiration);

    CliRun run = CliRun.run(home, env(), CLOCK, "credentials", "aws-prod-admin");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo(processJson(expiration));
    assertThat(api.received())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.path()).isEqualTo("/v1/credentials");
              assertThat(r.authorization()).isEqualTo("Bearer " + TOKEN);
              assertThat(r.body()).isEqualTo("{\"profile\":\"aws-prod-admin\"}");
            });
    Path file =
        new CredentialCache(home.resolve(".cache/stint"))
            .file(api.uri().toString(), "aws-prod-admin")
            .orElseThrow();
    assertThat(Files.readString(file)).isEqualTo(processJson(expiration));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
        .isEqualTo("rwx------");
  }

  @Test
  void servesTheCacheWhileMoreThanFiveMinutesRemain() {
    Instant expiration = NOW.plus(Duration.ofMinutes(6));
    answerCredentials(expiration);
    CliRun.run(home, env(), CLOCK, "credentials", "aws-prod-admin");

    CliRun again = CliRun.run(home, env(), CLOCK, "credentials", "aws-prod-admin");
    CliRun later =
        CliRun.run(home, env(), at(Duration.ofMinutes(2)), "credentials", "aws-prod-admin");

    assertThat(again.out()).isEqualTo(processJson(expiration));
    assertThat(later.out())
        .as("four minutes left: fetched again")
        .isEqualTo(processJson(expiration, NOW.plus(Duration.ofMinutes(3))));
    assertThat(api.received())
        .extracting(FakeStintApi.Received::path)
        .containsExactly("/v1/credentials", "/v1/credentials");
  }

  @Test
  void anEntryIsServedWithoutAskingOnlyUntilItsCheckIsDue() {
    answerCredentials(NOW.plus(Duration.ofHours(1)));
    api.answer("/v1/credentials/crd_1", "{\"serve\":true,\"reason\":\"serve\"}");
    CliRun.run(home, env(), CLOCK, "credentials", "aws-prod-admin");

    CliRun.run(home, env(), at(Duration.ofSeconds(59)), "credentials", "aws-prod-admin");
    assertThat(api.received()).as("within the check's period").hasSize(1);
    CliRun.run(home, env(), at(Duration.ofSeconds(60)), "credentials", "aws-prod-admin");
    assertThat(api.received()).as("once it is due").hasSize(2);
    CliRun.run(home, env(), at(Duration.ofSeconds(119)), "credentials", "aws-prod-admin");
    assertThat(api.received()).as("checked again: another period").hasSize(2);
  }

  /** A revoke made anywhere else, an ended or superseded grant: the server says not to serve. */
  @ParameterizedTest
  @CsvSource({"revoked", "grant_ended", "newer_grant", "cut"})
  void anEntryTheServerNoLongerServesIsForgottenAndFetchedAfresh(String reason) {
    answerCredentials(NOW.plus(Duration.ofHours(1)));
    CliRun.run(home, env(), CLOCK, "credentials", "aws-prod-admin");
    api.answer("/v1/credentials/crd_1", "{\"serve\":false,\"reason\":\"" + reason + "\"}");
    api.problem(
        "/v1/credentials", 403, "approval_required", "no active grant for profile aws-prod-admin");

    CliRun refused =
        CliRun.run(home, env(), at(Duration.ofMinutes(1)), "credentials", "aws-prod-admin");

    assertThat(refused.exitCode()).isEqualTo(CliException.REFUSED);
    assertThat(refused.out()).isEmpty();
    assertThat(api.received())
        .extracting(FakeStintApi.Received::path)
        .containsExactly("/v1/credentials", "/v1/credentials/crd_1", "/v1/credentials");
    assertThat(home.resolve(".cache/stint/aws")).isEmptyDirectory();
  }

  @Test
  void aServerOutOfReachServesTheEntryAsItIsAndSaysSo() {
    answerCredentials(NOW.plus(Duration.ofHours(1)));
    CliRun.run(home, env(), CLOCK, "credentials", "aws-prod-admin");
    api.close();

    CliRun served =
        CliRun.run(home, env(), at(Duration.ofMinutes(2)), "credentials", "aws-prod-admin");

    assertThat(served.exitCode()).as(served.err()).isZero();
    assertThat(served.out()).isEqualTo(processJson(NOW.plus(Duration.ofHours(1))));
    assertThat(served.err()).contains("serving the cached credentials");
  }

  @Test
  void aTokenThatNamesNoPersonCachesNothing() {
    answerCredentials(NOW.plus(Duration.ofHours(1)));
    Map<String, String> opaque =
        Map.of("STINT_SERVER", api.uri().toString(), "STINT_TOKEN", "not-a-jwt");

    CliRun first = CliRun.run(home, opaque, CLOCK, "credentials", "aws-prod-admin");
    CliRun again = CliRun.run(home, opaque, CLOCK, "credentials", "aws-prod-admin");

    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(again.out()).isEqualTo(first.out()).doesNotContain("owner");
    assertThat(api.received()).hasSize(2);
    assertThat(home.resolve(".cache/stint/aws")).doesNotExist();
  }

  @Test
  void theFastPathPrintsOnlyAUsableCacheEntry() throws Exception {
    answerCredentials(NOW.plus(Duration.ofHours(1)));
    CliRun.run(home, env(), CLOCK, "credentials", "aws-prod-admin");
    String server = api.uri().toString();
    // What `stint login` as alice leaves: the fast path serves her entries only.
    LoginMarker.write(new CliEnvironment(Map.of(), home, CLOCK, System.out, System.err), OWNER);

    assertThat(fast(CLOCK, "credentials", "aws-prod-admin"))
        .isEqualTo(processJson(NOW.plus(Duration.ofHours(1))));
    assertThat(fast(CLOCK, "credentials", "--server", server + "/", "aws-prod-admin")).isNotNull();
    assertThat(fast(CLOCK, "credentials", "--server=" + server, "aws-prod-admin")).isNotNull();
    assertThat(fast(CLOCK, "credentials", "other-profile")).isNull();
    assertThat(fast(CLOCK, "credentials", "--server", "http://127.0.0.1:1", "aws-prod-admin"))
        .isNull();
    assertThat(fast(CLOCK, "credentials", "--token-file", "/x", "aws-prod-admin")).isNull();
    assertThat(fast(CLOCK, "credentials", "aws-prod-admin", "extra")).isNull();
    assertThat(fast(CLOCK, "credentials")).isNull();
    assertThat(
            fast(
                Clock.fixed(NOW.plus(Duration.ofMinutes(56)), ZoneOffset.UTC),
                "credentials",
                "aws-prod-admin"))
        .isNull();
    assertThat(fast(at(CredentialCache.CHECK_EVERY), "credentials", "aws-prod-admin"))
        .as("its check is due: only the full command asks the server")
        .isNull();
  }

  /**
   * The uncached run, the full command answering from the cache and the fast path print the same
   * bytes, which end with a newline (the launcher's stint-cached is held to the fast path's bytes
   * in LauncherCachedPathIT).
   */
  @Test
  void cachedAndUncachedPrintTheSameBytesEndingInANewline() throws Exception {
    answerCredentials(NOW.plus(Duration.ofHours(1)));
    CliRun uncached = CliRun.run(home, env(), CLOCK, "credentials", "aws-prod-admin");
    CliRun cached = CliRun.run(home, env(), CLOCK, "credentials", "aws-prod-admin");
    LoginMarker.write(new CliEnvironment(Map.of(), home, CLOCK, System.out, System.err), OWNER);
    String fast = fast(CLOCK, "credentials", "aws-prod-admin");

    assertThat(api.received()).hasSize(1);
    assertThat(uncached.out()).endsWith("}\n").hasLineCount(1);
    assertThat(cached.out()).isEqualTo(uncached.out());
    assertThat(fast).isEqualTo(uncached.out());
  }

  private String fast(Clock clock, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CliEnvironment cli =
        new CliEnvironment(
            Map.of("STINT_SERVER", api.uri().toString()),
            home,
            clock,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            System.err);
    return CachedCredentials.print(args, cli) ? out.toString(StandardCharsets.UTF_8) : null;
  }

  @Test
  void credentialsCloseToExpiryAreNotCached() {
    answerCredentials(NOW.plus(Duration.ofMinutes(4)));

    CliRun.run(home, env(), CLOCK, "credentials", "aws-prod-admin");
    CliRun.run(home, env(), CLOCK, "credentials", "aws-prod-admin");

    assertThat(api.received()).hasSize(2);
    assertThat(home.resolve(".cache/stint/aws")).doesNotExist();
  }

  /** The server's answers when the grant has ended or was revoked (before, or during, the mint). */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "403 | approval_required | no active grant for profile aws-prod-admin",
        "409 | conflict | grant g-1 was revoked while its credential was being issued"
      })
  void aRefusalIsOneLineOnStderrAndDropsTheCache(int status, String code, String detail) {
    answerCredentials(NOW.plus(Duration.ofHours(1)));
    CliRun.run(home, env(), CLOCK, "credentials", "aws-prod-admin");
    api.problem("/v1/credentials", status, code, detail);

    CliRun refused =
        CliRun.run(
            home,
            env(),
            Clock.fixed(NOW.plus(Duration.ofMinutes(56)), ZoneOffset.UTC),
            "credentials",
            "aws-prod-admin");

    assertThat(refused.exitCode()).isEqualTo(CliException.REFUSED);
    assertThat(refused.out()).isEmpty();
    assertThat(refused.err()).isEqualTo("stint: " + detail + " (" + code + ", trace req-1)\n");
    assertThat(home.resolve(".cache/stint/aws")).isEmptyDirectory();
  }

  @Test
  void envPrintsShellQuotedExports() {
    Instant expiration = NOW.plus(Duration.ofHours(1));
    answerCredentials(expiration);

    CliRun run = CliRun.run(home, env(), CLOCK, "env", "aws-prod-admin");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .isEqualTo(
            "export AWS_ACCESS_KEY_ID='ASIAEXAMPLE'\n"
                + "export AWS_SECRET_ACCESS_KEY='s3cr3t'\\''key'\n"
                + "export AWS_SESSION_TOKEN='tok/en+'\n"
                + "export AWS_CREDENTIAL_EXPIRATION='"
                + expiration
                + "'\n");
  }

  @Test
  void consolePrintsTheSigninUrl() {
    api.answer(
        "/v1/console",
        "{\"url\":\"https://signin.aws.amazon.com/federation?Action=login&SigninToken=t\","
            + "\"expires_at\":\"2026-11-23T11:00:00Z\"}");

    CliRun run =
        CliRun.run(
            home,
            env(),
            CLOCK,
            "console",
            "aws-prod-admin",
            "--destination",
            "https://console.aws.amazon.com/s3/home");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .isEqualTo("https://signin.aws.amazon.com/federation?Action=login&SigninToken=t\n");
    assertThat(api.received())
        .singleElement()
        .extracting(FakeStintApi.Received::body)
        .isEqualTo(
            "{\"profile\":\"aws-prod-admin\",\"destination\":\"https://console.aws.amazon.com/s3/home\"}");
  }

  @Test
  void consoleOpenHandsTheUrlToTheBrowserNotToStdout() throws Exception {
    api.answer(
        "/v1/console",
        "{\"url\":\"https://signin.aws.amazon.com/federation?Action=login&SigninToken=t\","
            + "\"expires_at\":\"2026-11-23T11:00:00Z\"}");
    Path opened = home.resolve("opened.txt");
    Path browser = home.resolve("browser.sh");
    Files.writeString(browser, "#!/bin/sh\nprintf '%s' \"$1\" > '" + opened + "'\n");
    browser.toFile().setExecutable(true);
    Map<String, String> env = new HashMap<>(env());
    env.put("BROWSER", browser.toString());

    CliRun run = CliRun.run(home, env, CLOCK, "console", "aws-prod-admin", "--open");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .isEqualTo(
            "Opened the AWS console for aws-prod-admin (session until 2026-11-23T11:00:00Z)\n");
    assertThat(Files.readString(opened))
        .isEqualTo("https://signin.aws.amazon.com/federation?Action=login&SigninToken=t");
  }

  @Test
  void consoleRejectionIsReported() {
    api.problem(
        "/v1/console",
        400,
        "invalid_request",
        "destination must be an https URL on console.aws.amazon.com");

    CliRun run =
        CliRun.run(
            home,
            env(),
            CLOCK,
            "console",
            "aws-prod-admin",
            "--destination",
            "https://evil.example.com");

    assertThat(run.exitCode()).isEqualTo(CliException.REFUSED);
    assertThat(run.err())
        .startsWith("stint: destination must be an https URL on console.aws.amazon.com");
  }
}
