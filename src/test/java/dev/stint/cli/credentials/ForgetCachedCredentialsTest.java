package dev.stint.cli.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.cli.CliEnvironment;
import dev.stint.cli.CliException;
import dev.stint.lease.LeaseTokens;
import dev.stint.testing.CliRun;
import dev.stint.testing.FakeStintApi;
import dev.stint.testing.TestIdp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stint revoke} and {@code stint logout} delete cached AWS credentials that must not be
 * served again: a revoke those of the revoked grant on that server, a logout all of that server's.
 * Entries of other grants and other servers stay.
 */
class ForgetCachedCredentialsTest {
  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final String OTHER_SERVER = "https://stint.other.example.com";
  private static final TestIdp IDP = new TestIdp("corp");
  private static final String TOKEN = IDP.token("alice", "eng");

  @TempDir Path home;
  private final FakeStintApi api = new FakeStintApi();

  ForgetCachedCredentialsTest() throws Exception {}

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

  private CredentialCache cache() {
    return new CredentialCache(home.resolve(".cache/stint"));
  }

  /** Caches a profile's credentials the way {@code stint credentials} does, from the server. */
  private void cached(String profile, String grant) {
    serverMintsFor(grant);
    CliRun run = CliRun.run(home, env(), CLOCK, "credentials", profile);
    assertThat(run.exitCode()).as(run.err()).isZero();
  }

  private void serverMintsFor(String grant) {
    api.answer(
        "/v1/credentials",
        "{\"cloud\":\"aws\",\"access_key_id\":\"ASIA"
            + grant
            + "\","
            + "\"secret_access_key\":\"s\",\"session_token\":\"t\",\"expiration\":\""
            + NOW.plus(Duration.ofHours(1))
            + "\",\"grant_id\":\""
            + grant
            + "\"}");
  }

  private void cachedOnOtherServer(String profile, String grant) {
    assertThat(
            cache()
                .write(
                    OTHER_SERVER,
                    profile,
                    "{\"Version\":1,\"AccessKeyId\":\"A\","
                        + "\"Expiration\":\""
                        + NOW.plus(Duration.ofHours(1))
                        + "\",\"grant_id\":\""
                        + grant
                        + "\"}",
                    NOW))
        .isTrue();
  }

  private boolean isCached(String server, String profile) {
    return Files.exists(cache().file(server, profile).orElseThrow());
  }

  /**
   * A task lease's entry of {@code grant}, as {@code stint credentials --lease-file} writes it when
   * minted with {@code token}.
   */
  private LeaseCache leaseCached(String token, String grant) {
    LeaseCache leases = new LeaseCache(home.resolve(".cache/stint"));
    String expiration = NOW.plus(Duration.ofMinutes(30)).toString();
    String json =
        "{\"Version\":1,\"AccessKeyId\":\"ASIALEASE\",\"Expiration\":\""
            + expiration
            + "\",\"grant_id\":\""
            + grant
            + "\",\"owner\":\""
            + LeaseCache.owner(token)
            + "\",\"checked_until\":\""
            + expiration
            + "\"}\n";
    String lease = LeaseCache.leaseOf(token).orElseThrow();
    assertThat(leases.write(api.uri().toString(), lease, json, NOW)).isTrue();
    return leases;
  }

  /**
   * A revoke of a grant ends its leases, so their entries go with the grant's; a logout is about
   * the person's login, not a lease (its token's), and leaves them.
   */
  @Test
  void revokeDeletesTheGrantsLeaseEntriesAndLogoutLeavesThem() {
    String ofGrant = new LeaseTokens().issue("lse_abcdefghijklmnopqrstuvwx");
    String ofOther = new LeaseTokens().issue("lse_bcdefghijklmnopqrstuvwxy");
    LeaseCache leases = leaseCached(ofGrant, "grt_1");
    leaseCached(ofOther, "grt_2");
    String server = api.uri().toString();
    api.answer(
        "/v1/requests/req_1/revoke",
        "{\"id\":\"req_1\",\"state\":\"revoked\",\"approvals_required\":1,\"approvals\":[],"
            + "\"grant\":{\"id\":\"grt_1\"}}");

    CliRun revoked = CliRun.run(home, env(), CLOCK, "revoke", "req_1", "--yes");
    CliRun loggedOut = CliRun.run(home, Map.of("STINT_SERVER", server), CLOCK, "logout");

    assertThat(revoked.exitCode()).as(revoked.err()).isZero();
    assertThat(revoked.err()).contains("deleted the cached credentials of grant grt_1");
    assertThat(loggedOut.exitCode()).as(loggedOut.err()).isZero();
    assertThat(leases.readMintedWith(server, ofGrant, NOW)).isEmpty();
    assertThat(leases.readMintedWith(server, ofOther, NOW)).isPresent();
  }

  @Test
  void theCachedAnswerNamesItsGrant() throws Exception {
    cached("aws-prod-admin", "grt_1");

    assertThat(Files.readString(cache().file(api.uri().toString(), "aws-prod-admin").orElseThrow()))
        .contains("\"grant_id\":\"grt_1\"");
  }

  @Test
  void revokeDeletesTheRevokedGrantsEntriesOnThatServerOnly() {
    cached("aws-prod-admin", "grt_1");
    cached("aws-dev", "grt_2");
    cachedOnOtherServer("aws-prod-admin", "grt_1");
    api.answer(
        "/v1/requests/req_1/revoke",
        "{\"id\":\"req_1\",\"state\":\"revoked\","
            + "\"approvals_required\":1,\"approvals\":[],\"grant\":{\"id\":\"grt_1\"},"
            + "\"revocation\":{\"cloud\":\"aws\",\"live_credentials\":\"until_deny\","
            + "\"note\":\"AWS sessions stop once the deny is in IAM\"}}");

    CliRun run = CliRun.run(home, env(), CLOCK, "revoke", "req_1", "--yes");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .isEqualTo(
            "revoked req_1: now revoked (0/1 approvals)\n"
                + "  AWS sessions stop once the deny is in IAM\n");
    assertThat(run.err()).isEqualTo("deleted the cached credentials of grant grt_1\n");
    assertThat(isCached(api.uri().toString(), "aws-prod-admin")).isFalse();
    assertThat(isCached(api.uri().toString(), "aws-dev")).isTrue();
    assertThat(isCached(OTHER_SERVER, "aws-prod-admin")).isTrue();
  }

  @Test
  void listingRequestsForgetsGrantsTheServerReportsEndedByAnyone() {
    cached("aws-prod-admin", "grt_1");
    cached("aws-dev", "grt_2");
    cached("aws-ops", "grt_3");
    api.answer(
        "/v1/requests",
        "{\"requests\":["
            + "{\"id\":\"req_1\",\"profile\":\"aws-prod-admin\",\"state\":\"revoked\","
            + "\"grant\":{\"id\":\"grt_1\"}},"
            + "{\"id\":\"req_2\",\"profile\":\"aws-dev\",\"state\":\"active\","
            + "\"grant\":{\"id\":\"grt_2\"}},"
            + "{\"id\":\"req_3\",\"profile\":\"aws-ops\",\"state\":\"expired\","
            + "\"grant\":{\"id\":\"grt_3\"}}]}");

    CliRun run = CliRun.run(home, env(), CLOCK, "requests", "--output", "json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err())
        .contains(
            "deleted the cached credentials of ended grant grt_1",
            "deleted the cached credentials of ended grant grt_3");
    assertThat(isCached(api.uri().toString(), "aws-prod-admin")).isFalse();
    assertThat(isCached(api.uri().toString(), "aws-ops")).isFalse();
    assertThat(isCached(api.uri().toString(), "aws-dev"))
        .as("an active grant's entry stays")
        .isTrue();
  }

  @Test
  void aRevokedGrantsCredentialsAreFetchedAgainNotServed() {
    cached("aws-prod-admin", "grt_1");
    api.answer(
        "/v1/requests/req_1/revoke",
        "{\"id\":\"req_1\",\"state\":\"revoked\"," + "\"grant\":{\"id\":\"grt_1\"}}");
    CliRun.run(home, env(), CLOCK, "revoke", "req_1", "--yes");
    api.problem(
        "/v1/credentials", 403, "approval_required", "no active grant for profile aws-prod-admin");

    CliRun after = CliRun.run(home, env(), CLOCK, "credentials", "aws-prod-admin");

    assertThat(after.exitCode()).isEqualTo(CliException.REFUSED);
    assertThat(after.out()).isEmpty();
  }

  @Test
  void refreshAsksTheServerPastAValidCacheEntryAndReplacesIt() throws Exception {
    cached("aws-prod-admin", "grt_1");
    CliEnvironment fast = new CliEnvironment(env(), home, CLOCK, System.out, System.err);
    assertThat(
            CachedCredentials.print(
                new String[] {"credentials", "aws-prod-admin", "--refresh"}, fast))
        .as("the fast path leaves --refresh to the full command")
        .isFalse();
    serverMintsFor("grt_3");

    CliRun run = CliRun.run(home, env(), CLOCK, "credentials", "aws-prod-admin", "--refresh");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("\"grant_id\":\"grt_3\"");
    assertThat(api.received()).hasSize(2);
    assertThat(Files.readString(cache().file(api.uri().toString(), "aws-prod-admin").orElseThrow()))
        .isEqualTo(run.out());
  }

  @Test
  void aRefusedRevokeDeletesNothing() {
    cached("aws-prod-admin", "grt_1");
    api.problem("/v1/requests/req_1/revoke", 403, "forbidden", "you may not revoke this grant");

    CliRun run = CliRun.run(home, env(), CLOCK, "revoke", "req_1", "--yes");

    assertThat(run.exitCode()).isEqualTo(CliException.REFUSED);
    assertThat(isCached(api.uri().toString(), "aws-prod-admin")).isTrue();
  }

  @Test
  void logoutDeletesEveryEntryOfThatServer() {
    cached("aws-prod-admin", "grt_1");
    cached("aws-dev", "grt_2");
    cachedOnOtherServer("aws-prod-admin", "grt_1");

    CliRun run = CliRun.run(home, Map.of("STINT_SERVER", api.uri() + "/"), CLOCK, "logout");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err())
        .isEqualTo("Not logged in.\n" + "Deleted 2 cached credentials for " + api.uri() + "\n");
    assertThat(isCached(api.uri().toString(), "aws-prod-admin")).isFalse();
    assertThat(isCached(api.uri().toString(), "aws-dev")).isFalse();
    assertThat(isCached(OTHER_SERVER, "aws-prod-admin")).isTrue();
  }

  @Test
  void logoutWithServerDeletesThatServersEntries() {
    cached("aws-prod-admin", "grt_1");
    cachedOnOtherServer("aws-prod-admin", "grt_1");

    CliRun run = CliRun.run(home, env(), CLOCK, "logout", "--server", OTHER_SERVER);

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(isCached(OTHER_SERVER, "aws-prod-admin")).isFalse();
    assertThat(isCached(api.uri().toString(), "aws-prod-admin")).isTrue();
  }
}
