package dev.stint.cli.lease;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.cli.CliException;
import dev.stint.cli.lease.LeaseApiStandIn.Received;
import dev.stint.lease.LeaseTokens;
import dev.stint.testing.CliRun;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stint credentials --lease-file FILE} and {@code STINT_LEASE_TOKEN} against {@link
 * LeaseApiStandIn}: the lease token is the only bearer sent (no login on this machine, or a
 * person's token set beside it, changes that), the answer is credential_process JSON, cached for
 * the lease alone ({@link LeaseCredentialsCacheTest} holds the cache's rules), and a token file
 * others may read or a token of the wrong shape is refused before anything is sent, without the
 * token in the message. The server's refusal of a revoked lease is {@link LeaseServerCliTest}'s, on
 * the server.
 */
class LeaseCredentialsCliTest {
  static final String PERSON = "person-oidc-token-of-carol";

  /** Carol's machine, where the lease is created. */
  @TempDir Path carol;

  /** The agent's machine: no login, no stint config of its own. */
  @TempDir Path agent;

  LeaseApiStandIn api;
  String lease;
  Path tokenFile;

  @BeforeEach
  void leaseCreated() throws Exception {
    api = new LeaseApiStandIn(PERSON);
    CliRun created =
        CliRun.run(
            carol,
            Map.of("STINT_SERVER", api.url(), "STINT_TOKEN", PERSON),
            "lease",
            "create",
            "req_abcdefgh234567",
            "--task",
            "t",
            "--duration",
            "15m");
    assertThat(created.exitCode()).as(created.err()).isZero();
    lease = LeaseCliTest.leaseIdIn(created.out());
    tokenFile = carol.resolve(".config/stint/leases/" + lease + ".token");
  }

  @AfterEach
  void stop() throws Exception {
    api.close();
  }

  CliRun agent(Map<String, String> extra, String... args) {
    Map<String, String> env = new HashMap<>(Map.of("STINT_SERVER", api.url()));
    env.putAll(extra);
    return CliRun.run(agent, env, args);
  }

  Received lastSent() {
    return api.received().get(api.received().size() - 1);
  }

  @Test
  void aLeaseFileMintsWithTheLeaseTokenAloneAndNoLoginAndCachesForTheLeaseAlone() throws Exception {
    int before = api.received().size();
    CliRun run = agent(Map.of(), "credentials", "--lease-file", tokenFile.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(api.received()).hasSize(before + 1);
    Received sent = lastSent();
    assertThat(sent.method() + " " + sent.path()).isEqualTo("POST /v1/credentials");
    assertThat(sent.authorization()).isEqualTo("Bearer " + api.tokenOf(lease));
    assertThat(sent.body()).isEqualTo(new JsonObject().put("lease", lease));
    JsonObject printed = new JsonObject(run.out());
    assertThat(printed.getInteger("Version")).isEqualTo(1);
    assertThat(printed.getString("AccessKeyId")).isEqualTo("ASIASTANDINLEASE0001");
    assertThat(printed.getString("SecretAccessKey")).isEqualTo("standin-lease-secret-not-real");
    assertThat(printed.getString("SessionToken")).isEqualTo("standin-lease-session");
    assertThat(printed.getString("Expiration")).isNotBlank();
    assertThat(run.out()).endsWith("}\n").doesNotContain(api.tokenOf(lease));
    assertThat(run.err()).isEmpty();
    try (Stream<Path> cached = Files.list(agent.resolve(".cache/stint"))) {
      assertThat(cached.map(p -> p.getFileName().toString()))
          .as("the lease's directory, never the person's aws/")
          .containsExactly("leases");
    }
    assertThat(agent.resolve(".config")).doesNotExist();
  }

  @Test
  void aPersonsTokenBesideTheLeaseIsNeverSent() {
    CliRun run =
        agent(Map.of("STINT_TOKEN", PERSON), "credentials", "--lease-file", tokenFile.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(lastSent().authorization()).isEqualTo("Bearer " + api.tokenOf(lease));
    assertThat(api.received().stream().filter(r -> r.path().equals("/v1/credentials")))
        .allMatch(r -> !r.authorization().contains(PERSON));
  }

  @Test
  void theEnvironmentVariableMintsWhenNoProfileOrFileIsGiven() {
    CliRun run = agent(Map.of("STINT_LEASE_TOKEN", " " + api.tokenOf(lease) + "\n"), "credentials");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(lastSent().authorization()).isEqualTo("Bearer " + api.tokenOf(lease));
    assertThat(lastSent().body()).isEqualTo(new JsonObject().put("lease", lease));
    assertThat(new JsonObject(run.out()).getInteger("Version")).isEqualTo(1);
  }

  @Test
  void aTokenFileOthersMayReadIsRefusedBeforeAnythingIsSent() throws Exception {
    Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-r--r--"));
    int before = api.received().size();

    CliRun run = agent(Map.of(), "credentials", "--lease-file", tokenFile.toString());

    assertThat(run.exitCode()).isEqualTo(CliException.USAGE);
    assertThat(run.err())
        .contains("may be read or changed by others (mode rw-r--r--)", "chmod 600 " + tokenFile)
        .doesNotContain(api.tokenOf(lease));
    assertThat(api.received()).hasSize(before);
  }

  @Test
  void aMalformedTokenIsRefusedBeforeAnythingIsSentAndNeverEchoed() throws Exception {
    String notALeaseToken = "eyJhbGciOiJSUzI1NiJ9.secret-looking-jwt-part.sig";
    Path file = agent.resolve("bad.token");
    Files.writeString(file, notALeaseToken);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    String truncated = api.tokenOf(lease).substring(0, 40);
    int before = api.received().size();

    CliRun fromFile = agent(Map.of(), "credentials", "--lease-file", file.toString());
    CliRun fromEnv = agent(Map.of("STINT_LEASE_TOKEN", truncated), "credentials");

    assertThat(fromFile.exitCode()).isEqualTo(CliException.USAGE);
    assertThat(fromFile.err())
        .contains("lease token file " + file + " does not hold a stint lease token")
        .doesNotContain(notALeaseToken);
    assertThat(fromEnv.exitCode()).isEqualTo(CliException.USAGE);
    assertThat(fromEnv.err())
        .contains("STINT_LEASE_TOKEN does not hold a stint lease token")
        .doesNotContain(truncated);
    assertThat(api.received()).hasSize(before);
  }

  @Test
  void aLeaseAndAProfileOrAPersonsTokenFileDoNotMix() {
    int before = api.received().size();
    String file = tokenFile.toString();
    CliRun[] runs = {
      agent(Map.of(), "credentials"),
      agent(Map.of(), "credentials", "aws-prod", "--lease-file", file),
      agent(Map.of(), "credentials", "--lease-file", file, "--param", "bucket=x"),
      agent(Map.of(), "credentials", "--lease-file", file, "--token-file", file),
    };
    for (CliRun run : runs) {
      assertThat(run.exitCode()).as(run.err()).isEqualTo(CliException.USAGE);
    }
    assertThat(runs[0].err()).contains("give a PROFILE, or a lease's token with --lease-file");
    assertThat(api.received()).hasSize(before);
  }

  @Test
  void theCliReadsTheLeaseOfATokenAsTheServerDoes() {
    String id = "lse_abcdefghijklmnopqrstuvwx";
    String token = new LeaseTokens().issue(id);
    assertThat(LeaseToken.parse(token, "t").lease())
        .isEqualTo(LeaseTokens.leaseOf(token).orElseThrow())
        .isEqualTo(id);
    assertThat(LeaseToken.parse(token, "t").toString()).doesNotContain(token.substring(33));
  }
}
