package dev.stint.cli.lease;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.cli.CliException;
import dev.stint.testing.CliRun;
import dev.stint.testing.FakeAwsEndpoint.Call;
import dev.stint.testing.FakeIam;
import dev.stint.testing.FakeSts;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stint lease} and {@code stint credentials --lease-file} on a real server and a fake STS
 * that keeps what it receives: the holder of an approved narrowed grant leases it for a task; an
 * agent's machine with no login mints with the lease's token alone; list and show print what the
 * server keeps; revoke ends the lease, and the agent's next call ends non-zero with the server's
 * reason while the holder's own grant still mints. The server's refusals of a lease are printed as
 * its detail and leave no token file.
 */
class LeaseServerCliTest {
  static final String POLICY =
      """
      profiles:
        s3-read:
          aws:
            role_arn: 'arn:aws:iam::111122223333:role/reader'
            mode: assume_role
            session_policy:
              Version: '2012-10-17'
              Statement:
                - {Effect: Allow, Action: ['s3:ListBucket'], Resource: ['arn:aws:s3:::${bucket}']}
          parameters:
            bucket: {pattern: '[a-z0-9][a-z0-9-]{1,61}[a-z0-9]', description: The bucket to list}
          max_duration: 1h
          requesters: 'true'
          approval: {count: 1, approvers: 'principal.groups.exists(g, g == "sre")'}
          leases: {max_duration: 30m, max_active: 2}
        voted:
          aws: {role_arn: 'arn:aws:iam::111122223333:role/reader', mode: assume_role}
          max_duration: 1h
          requesters: 'true'
          approval: {count: 1, approvers: 'principal.groups.exists(g, g == "sre")'}
          leases: {max_duration: 30m, max_active: 2, approval: required}
        plain:
          aws: {role_arn: 'arn:aws:iam::111122223333:role/reader', mode: assume_role}
          max_duration: 1h
          requesters: 'true'
          approval: {count: 1, approvers: 'principal.groups.exists(g, g == "sre")'}
      """;

  static FakeSts sts;
  static FakeIam iam;
  static TestIdp idp;
  static TestServer server;

  /** The holder's machine, where the lease is created. */
  @TempDir Path holder;

  /** The agent's machine: no login, no stint config of its own. */
  @TempDir Path agent;

  @BeforeAll
  static void start() {
    System.setProperty("aws.accessKeyId", "AKIASTINTLEASECLI001");
    System.setProperty("aws.secretAccessKey", "stint-lease-cli-secret-not-real-000000");
    sts = new FakeSts();
    iam = new FakeIam().createRole("reader");
    idp = new TestIdp("corp");
    server =
        TestServer.start(
            TestPostgres.migratedDatabase(),
            Map.of(
                "STINT_AWS_STS_ENDPOINT", sts.uri().toString(),
                "STINT_AWS_IAM_ENDPOINT", iam.uri().toString(),
                "STINT_AWS_REGION", "eu-west-1"),
            "issuers:\n" + idp.issuerYaml("corp") + POLICY);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    idp.close();
    sts.close();
    iam.close();
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  CliRun as(String user, String group, String... args) {
    return CliRun.run(
        holder,
        Map.of("STINT_SERVER", server.uri("/").toString(), "STINT_TOKEN", idp.token(user, group)),
        args);
  }

  /** On the agent's machine: the server's address and nothing else. */
  CliRun agent(String... args) {
    return CliRun.run(agent, Map.of("STINT_SERVER", server.uri("/").toString()), args);
  }

  /** {@code user}'s approved grant of {@code profile} (with {@code params}): its request id. */
  String approved(String user, String profile, String... params) {
    CliRun requested =
        as(
            user,
            "eng",
            List.of(
                    List.of("request", profile, "--duration", "1h", "--reason", "INC-55 an agent"),
                    List.of(params))
                .stream()
                .flatMap(List::stream)
                .toArray(String[]::new));
    assertThat(requested.exitCode()).as(requested.err()).isZero();
    String id = requested.out().substring(requested.out().indexOf("req_")).split("\\s")[0];
    CliRun approved = as("bob", "sre", "approve", id);
    assertThat(approved.exitCode()).as(approved.err()).isZero();
    return id;
  }

  static List<Call> callsFor(String user) {
    return sts.assumeCalls().stream()
        .filter(c -> (user + "@example.com").equals(c.param("RoleSessionName")))
        .toList();
  }

  @Test
  void aLeaseMintsWithItsTokenAloneIsListedAndShownAndOnceRevokedTheAgentGetsTheServersReason()
      throws Exception {
    String request = approved("carol", "s3-read", "--param", "bucket=team-b");

    CliRun created =
        as(
            "carol",
            "eng",
            "lease",
            "create",
            request,
            "--task",
            "agent: list team-b",
            "--duration",
            "15m");

    assertThat(created.exitCode()).as(created.err()).isZero();
    String lease = LeaseCliTest.leaseIdIn(created.out());
    Path file = holder.resolve(".config/stint/leases/" + lease + ".token");
    assertThat(created.out())
        .contains(
            "lease " + lease + " of " + request + " (s3-read) is active until",
            "task:       agent: list team-b",
            "policy:     the profile's, filled with its parameters, sha256 ",
            "parameters: bucket=team-b",
            "token:      written to " + file + " (0600)");
    String token = Files.readString(file).strip();
    assertThat(created.out() + created.err()).doesNotContain(token);

    // The agent's machine holds a copy of the token and nothing else of stint's.
    Path copy = agent.resolve("lease.token");
    Files.copy(file, copy, StandardCopyOption.COPY_ATTRIBUTES);
    Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-------"));
    CliRun minted = agent("credentials", "--lease-file", copy.toString());

    assertThat(minted.exitCode()).as(minted.err()).isZero();
    JsonObject process = new JsonObject(minted.out());
    assertThat(process.getInteger("Version")).isEqualTo(1);
    assertThat(process.getString("AccessKeyId")).startsWith("ASIA");
    assertThat(process.getString("SessionToken")).isNotBlank();
    Call call = callsFor("carol").get(callsFor("carol").size() - 1);
    assertThat(call.param("SourceIdentity")).endsWith("." + lease);
    assertThat(call.param("Policy")).contains("arn:aws:s3:::team-b");
    assertThat(agent.resolve(".config")).doesNotExist();
    try (Stream<Path> cached = Files.list(agent.resolve(".cache/stint"))) {
      assertThat(cached.map(p -> p.getFileName().toString()))
          .as("the lease's own cache, never a person's")
          .containsExactly("leases");
    }

    CliRun listed = as("carol", "eng", "lease", "list", request);
    assertThat(listed.exitCode()).as(listed.err()).isZero();
    assertThat(listed.out())
        .contains("LEASE", "STATE", lease, "active", "token holder", "agent: list team-b");
    CliRun shown = as("carol", "eng", "lease", "show", lease);
    assertThat(shown.exitCode()).as(shown.err()).isZero();
    assertThat(shown.out())
        .contains(
            "lease:       " + lease,
            "state:       active",
            "of:          " + request + " (profile s3-read, grant grt_",
            "parameters:  bucket=team-b",
            "arn:aws:s3:::team-b",
            "CREDENTIAL",
            "crd_",
            "Next: stint lease activity " + lease + ", or stint lease revoke " + lease);

    CliRun revoked = as("carol", "eng", "lease", "revoke", lease, "--comment", "task done");
    assertThat(revoked.exitCode()).as(revoked.err()).isZero();
    assertThat(revoked.out())
        .contains("lease " + lease + " is revoked: it mints no more credentials.")
        .contains("deleted its token file " + file);
    assertThat(file).doesNotExist();
    int before = callsFor("carol").size();

    // The agent's machine still caches the revoked lease's keys, which the deny its revocation
    // wrote on the role refuses: the cloud's answer, not stint's, until they near their end.
    CliRun cached = agent("credentials", "--lease-file", copy.toString());
    assertThat(cached.exitCode()).as(cached.err()).isZero();
    assertThat(new JsonObject(cached.out()).getString("AccessKeyId"))
        .isEqualTo(process.getString("AccessKeyId"));
    CliRun refused = agent("credentials", "--lease-file", copy.toString(), "--refresh");

    assertThat(refused.exitCode()).isEqualTo(CliException.REFUSED);
    assertThat(refused.out()).isEmpty();
    assertThat(refused.err())
        .startsWith("stint: lease " + lease + " is revoked (forbidden, trace ")
        .doesNotContain(token);
    assertThat(callsFor("carol")).hasSize(before);
    assertThat(agent.resolve(".cache/stint/leases")).as("the refusal forgot it").isEmptyDirectory();
    assertThat(as("carol", "eng", "lease", "show", lease).out())
        .contains("state:       revoked", "ended:", "by carol (" + idp.issuer() + ")");
    CliRun again = as("carol", "eng", "lease", "revoke", lease);
    assertThat(again.exitCode()).isEqualTo(CliException.REFUSED);
    assertThat(again.err()).contains("lease " + lease + " is revoked already (conflict");
    CliRun own = as("carol", "eng", "credentials", "s3-read", "--param", "bucket=team-b");
    assertThat(own.exitCode()).as("the grant is untouched: " + own.err()).isZero();
  }

  @Test
  void theServersRefusalsArePrintedAsItsDetailAndLeaveNoTokenFile() {
    String leasable = approved("dan", "s3-read", "--param", "bucket=team-d");
    String plain = approved("dan", "plain");

    CliRun tooLong =
        as("dan", "eng", "lease", "create", leasable, "--task", "t", "--duration", "45m");
    CliRun noLeases = as("dan", "eng", "lease", "create", plain, "--task", "t", "--duration", "5m");
    CliRun notHolder =
        as("eve", "eng", "lease", "create", leasable, "--task", "t", "--duration", "5m");
    CliRun otherValue =
        as(
            "dan",
            "eng",
            "lease",
            "create",
            leasable,
            "--task",
            "t",
            "--duration",
            "5m",
            "--param",
            "bucket=team-x");

    assertThat(tooLong.err()).contains("at most 30 minutes (invalid_request");
    assertThat(noLeases.err())
        .startsWith("stint: profile 'plain' allows no leases (no leases: rule) (forbidden, trace ");
    assertThat(notHolder.err()).contains("(not_found").doesNotContain(leasable + " leases it");
    assertThat(otherValue.err()).contains("not within its grant's");
    for (CliRun run : List.of(tooLong, noLeases, notHolder, otherValue)) {
      assertThat(run.exitCode()).as(run.err()).isEqualTo(CliException.REFUSED);
      assertThat(run.out()).isEmpty();
    }
    assertThat(holder.resolve(".config/stint/leases")).doesNotExist();
    assertThat(as("dan", "eng", "lease", "list", leasable).out()).contains("no leases of ");
  }

  @Test
  void anApproverApprovesOrDeniesALeaseThatWaitsForAVoteAndItsHolderCannot() {
    String request = approved("fay", "voted");
    CliRun created =
        as(
            "fay",
            "eng",
            "lease",
            "create",
            request,
            "--task",
            "t",
            "--duration",
            "5m",
            "-o",
            "json");
    assertThat(created.exitCode()).as(created.err()).isZero();
    String lease = created.out().substring(created.out().indexOf("lse_")).substring(0, 28);
    CliRun second =
        as(
            "fay",
            "eng",
            "lease",
            "create",
            request,
            "--task",
            "u",
            "--duration",
            "5m",
            "-o",
            "json");
    String other = second.out().substring(second.out().indexOf("lse_")).substring(0, 28);

    CliRun own = as("fay", "sre", "lease", "approve", lease);
    CliRun approved = as("bob", "sre", "lease", "approve", lease, "--comment", "ok");
    CliRun denied = as("bob", "sre", "lease", "deny", other);
    CliRun again = as("bob", "sre", "lease", "deny", lease);

    assertThat(own.exitCode()).isEqualTo(CliException.REFUSED);
    assertThat(own.err()).contains("your own lease");
    assertThat(approved.exitCode()).as(approved.err()).isZero();
    assertThat(approved.out()).contains("lease " + lease + " is active.");
    assertThat(denied.out()).contains("lease " + other + " is denied.");
    assertThat(again.exitCode()).isEqualTo(CliException.REFUSED);
    assertThat(as("bob", "sre", "lease", "approve", "req_x").exitCode())
        .isEqualTo(CliException.USAGE);
  }
}
