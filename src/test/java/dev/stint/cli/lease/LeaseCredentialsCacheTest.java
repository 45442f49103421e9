package dev.stint.cli.lease;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.cli.CliEnvironment;
import dev.stint.cli.CliException;
import dev.stint.cli.LoginMarker;
import dev.stint.cli.credentials.CacheOwner;
import dev.stint.cli.credentials.CachedCredentials;
import dev.stint.cli.credentials.CredentialCache;
import dev.stint.lease.LeaseTokens;
import dev.stint.testing.CliRun;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lease profile's {@code credential_process} served from a cache as {@code stint credentials
 * PROFILE} is, against {@link LeaseApiStandIn}, which counts the mints: AWS tools start it for
 * every call, and each start minted an STS session. The entry is the lease's alone (never served
 * for the person's own profile, nor theirs for the lease), holds no lease token, is 0600 in a 0700
 * directory, ends shortly before its credentials (which end at the lease's end at the latest), and
 * is deleted by a revoke and by a refused mint.
 */
class LeaseCredentialsCacheTest {
  static final String ISSUER = "https://login.example.com";

  /** Where the lease is created and used: the person's machine. */
  @TempDir Path home;

  LeaseApiStandIn api;
  String lease;
  Path tokenFile;
  Instant now;

  @BeforeEach
  void leaseCreated() throws Exception {
    api = new LeaseApiStandIn(LeaseCliTest.PERSON);
    CliRun created =
        stint(
            Map.of("STINT_TOKEN", LeaseCliTest.PERSON),
            "lease",
            "create",
            LeaseCliTest.REQUEST,
            "--task",
            "t",
            "--duration",
            "15m");
    assertThat(created.exitCode()).as(created.err()).isZero();
    lease = LeaseCliTest.leaseIdIn(created.out());
    tokenFile = home.resolve(".config/stint/leases/" + lease + ".token");
    now = Instant.now();
  }

  @AfterEach
  void stop() throws Exception {
    api.close();
  }

  CliRun stint(Map<String, String> extra, String... args) {
    return stint(Clock.systemUTC(), extra, args);
  }

  CliRun stint(Clock clock, Map<String, String> extra, String... args) {
    Map<String, String> env = new HashMap<>(Map.of("STINT_SERVER", api.url()));
    env.putAll(extra);
    return CliRun.run(home, env, clock, args);
  }

  /** What an AWS tool starts: the written profile's credential_process, at {@code at}. */
  CliRun awsStarts(Instant at) {
    return stint(
        Clock.fixed(at, ZoneOffset.UTC),
        Map.of(),
        "credentials",
        "--lease-file",
        tokenFile.toString());
  }

  long mints() {
    return api.received().stream().filter(r -> r.path().equals("/v1/credentials")).count();
  }

  Path entry() {
    return home.resolve(".cache/stint/leases")
        .resolve(
            api.url().replace(":", "_003a").replace("/", "_002f")
                + "__lse_005f"
                + lease.substring(4)
                + ".json");
  }

  @Test
  void twoStartsMintOnceAndTheEntryIsPrivateAndHoldsNoToken() throws Exception {
    CliRun first = awsStarts(now);
    CliRun second = awsStarts(now.plusSeconds(60));

    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(second.exitCode()).as(second.err()).isZero();
    assertThat(mints()).isEqualTo(1);
    assertThat(second.out()).isEqualTo(first.out());
    assertThat(new JsonObject(second.out()).getString("AccessKeyId"))
        .isEqualTo("ASIASTANDINLEASE0001");

    assertThat(entry()).exists();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(entry())))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(entry().getParent())))
        .isEqualTo("rwx------");
    String cached = Files.readString(entry());
    String token = api.tokenOf(lease);
    assertThat(cached)
        .isEqualTo(first.out())
        .doesNotContain(token)
        .doesNotContain(token.substring(token.indexOf('.') + 1));
    assertThat(new JsonObject(cached).getString("owner")).isEqualTo(ownerOf(token));
  }

  @Test
  void anEntryNearItsExpiryMintsAgain() {
    awsStarts(now);
    // The stand-in's credentials last 15 minutes; within five of their end they are not served.
    CliRun late = awsStarts(now.plus(Duration.ofMinutes(11)));

    assertThat(late.exitCode()).as(late.err()).isZero();
    assertThat(mints()).isEqualTo(2);
  }

  @Test
  void theEnvironmentsTokenIsServedTheSameEntryAndRefreshMintsAnyway() {
    CliRun fromFile = awsStarts(now);
    CliRun fromEnv =
        stint(
            Clock.fixed(now, ZoneOffset.UTC),
            Map.of("STINT_LEASE_TOKEN", api.tokenOf(lease)),
            "credentials");
    assertThat(fromEnv.out()).isEqualTo(fromFile.out());
    assertThat(mints()).isEqualTo(1);

    CliRun refreshed =
        stint(
            Clock.fixed(now, ZoneOffset.UTC),
            Map.of(),
            "credentials",
            "--lease-file",
            tokenFile.toString(),
            "--refresh");
    assertThat(refreshed.exitCode()).as(refreshed.err()).isZero();
    assertThat(mints()).isEqualTo(2);
  }

  /**
   * The lease is of aws-prod, and the person holds aws-prod themselves: their own {@code
   * credentials aws-prod} (fast path or full) must never get the lease's keys, nor the lease
   * theirs.
   */
  @Test
  void aLeasesEntryIsNeverThePersonsNorThePersonsTheLeases() throws Exception {
    awsStarts(now);
    String owner = CacheOwner.of(ISSUER, "carol");
    CliEnvironment env = environment();
    LoginMarker.write(env, owner);
    CredentialCache persons = new CredentialCache(env.cacheDir());
    assertThat(persons.read(api.url(), "aws-prod", owner, now)).isEmpty();
    assertThat(persons.read(api.url(), lease, owner, now)).isEmpty();
    assertThat(persons.read(api.url(), lease, ownerOf(api.tokenOf(lease)), now)).isEmpty();
    assertThat(served(env, "credentials", "aws-prod", "--server", api.url())).isNull();
    assertThat(served(env, "credentials", lease, "--server", api.url())).isNull();

    // An entry in the person's directory named as the lease, even claiming to be the lease's, is
    // not the lease's: a forged or mistaken one there is never served for the token.
    Files.delete(entry());
    String later = now.plus(Duration.ofHours(1)).toString();
    String forged =
        "{\"Version\":1,\"AccessKeyId\":\"ASIAPERSONS\",\"SecretAccessKey\":\"s\","
            + "\"SessionToken\":\"t\",\"Expiration\":\""
            + later
            + "\",\"owner\":\""
            + ownerOf(api.tokenOf(lease))
            + "\",\"checked_until\":\""
            + later
            + "\"}\n";
    assertThat(persons.write(api.url(), lease, forged, now)).isTrue();
    CliRun minted = awsStarts(now);
    assertThat(minted.out()).doesNotContain("ASIAPERSONS");
    assertThat(mints()).isEqualTo(2);
  }

  @Test
  void theFastPathServesTheEntryWithoutAskingAndStepsAsideForASharedTokenFile() throws Exception {
    String printed = awsStarts(now).out();
    CliEnvironment env = environment();

    assertThat(served(env, "credentials", "--lease-file", tokenFile.toString())).isEqualTo(printed);
    assertThat(served(env, "credentials", "--lease-file=" + tokenFile)).isEqualTo(printed);
    assertThat(mints()).isEqualTo(1);

    Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-r-----"));
    assertThat(served(env, "credentials", "--lease-file", tokenFile.toString())).isNull();
    assertThat(served(env, "credentials", "aws-prod", "--lease-file", tokenFile.toString()))
        .isNull();
  }

  /**
   * The lease id is no secret: a token naming the lease with another secret part is served its
   * entry neither by the fast path nor by the full command, which sends that token and is refused;
   * and the refusal leaves the entry to the holder of the real token.
   */
  @Test
  void aTokenNamingTheLeaseWithAnotherSecretIsNeverServedItsEntry() throws Exception {
    String printed = awsStarts(now).out();
    String real = api.tokenOf(lease);
    String forged = real.substring(0, real.indexOf('.') + 1) + "A".repeat(43);
    CliEnvironment base = environment();
    CliEnvironment holding =
        new CliEnvironment(
            Map.of("STINT_SERVER", api.url(), "STINT_LEASE_TOKEN", forged),
            base.home(),
            base.clock(),
            base.out(),
            base.err());
    Path forgedFile = home.resolve("forged.token");
    Files.writeString(forgedFile, forged + "\n");
    Files.setPosixFilePermissions(forgedFile, PosixFilePermissions.fromString("rw-------"));

    assertThat(served(holding, "credentials")).isNull();
    assertThat(served(base, "credentials", "--lease-file", forgedFile.toString())).isNull();
    CliRun full =
        stint(Clock.fixed(now, ZoneOffset.UTC), Map.of("STINT_LEASE_TOKEN", forged), "credentials");
    assertThat(full.exitCode()).isNotZero();
    assertThat(full.out()).doesNotContain("ASIASTANDINLEASE");
    assertThat(full.err()).doesNotContain(forged);

    assertThat(served(base, "credentials", "--lease-file", tokenFile.toString()))
        .isEqualTo(printed);
  }

  @Test
  void revokingTheLeaseDeletesItsEntry() {
    awsStarts(now);
    assertThat(entry()).exists();

    CliRun revoked =
        stint(Map.of("STINT_TOKEN", LeaseCliTest.PERSON), "lease", "revoke", lease, "-o", "json");

    assertThat(revoked.exitCode()).as(revoked.err()).isZero();
    assertThat(entry()).doesNotExist();
    CliRun after = awsStarts(now);
    assertThat(after.exitCode()).isEqualTo(CliException.REFUSED);
    assertThat(entry()).doesNotExist();
  }

  /** A refusal forgets an entry that outlived its lease on a machine that did not revoke it. */
  @Test
  void aRefusedMintDeletesTheEntry() {
    awsStarts(now);
    api.refuse("POST", "/v1/credentials", 403, "forbidden", "lease " + lease + " is revoked");

    CliRun refused =
        stint(
            Clock.fixed(now, ZoneOffset.UTC),
            Map.of(),
            "credentials",
            "--lease-file",
            tokenFile.toString(),
            "--refresh");

    assertThat(refused.exitCode()).isEqualTo(CliException.REFUSED);
    assertThat(refused.err()).contains("is revoked").doesNotContain(api.tokenOf(lease));
    assertThat(entry()).doesNotExist();
  }

  /** The owner an entry minted with {@code token} records: the lease, and the token's SHA-256. */
  static String ownerOf(String token) throws Exception {
    byte[] hash =
        MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    return "lease:"
        + LeaseTokens.leaseOf(token).orElseThrow()
        + ":"
        + HexFormat.of().formatHex(hash);
  }

  CliEnvironment environment() {
    return new CliEnvironment(
        Map.of("STINT_SERVER", api.url()),
        home,
        Clock.fixed(now, ZoneOffset.UTC),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
  }

  /** What the fast path printed for {@code args}, or null when it stepped aside. */
  static String served(CliEnvironment base, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CliEnvironment env =
        new CliEnvironment(
            base.env(),
            base.home(),
            base.clock(),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            base.err());
    return CachedCredentials.print(args, env) ? out.toString(StandardCharsets.UTF_8) : null;
  }
}
