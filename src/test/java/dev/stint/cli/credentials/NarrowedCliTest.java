package dev.stint.cli.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.cli.CliException;
import dev.stint.testing.CliRun;
import dev.stint.testing.FakeAwsEndpoint.Call;
import dev.stint.testing.FakeIam;
import dev.stint.testing.FakeSts;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A narrowed profile from the command line, on a real server and a fake STS that keeps what it
 * receives: the values given with --param are what is requested, shown to the approver and minted;
 * credentials cached for one value are never served for another; and every value the server refuses
 * ends the command with the server's reason before anything reaches STS.
 */
class NarrowedCliTest {
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
                - {Effect: Allow, Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::${bucket}/*']}
          parameters:
            bucket: {pattern: '[a-z0-9][a-z0-9-]{1,61}[a-z0-9]', description: The bucket to read}
          max_duration: 1h
          requesters: 'true'
          approval: {count: 1, approvers: 'principal.groups.exists(g, g == "sre")'}
      """;

  static FakeSts sts;
  static FakeIam iam;
  static TestIdp idp;
  static TestServer server;
  @TempDir Path home;

  @BeforeAll
  static void start() {
    System.setProperty("aws.accessKeyId", "AKIASTINTNARROWCLI01");
    System.setProperty("aws.secretAccessKey", "stint-narrowed-cli-secret-not-real-0000");
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

  CliRun as(String token, String... args) {
    return CliRun.run(
        home, Map.of("STINT_SERVER", server.uri("/").toString(), "STINT_TOKEN", token), args);
  }

  static List<Call> callsFor(String user) {
    return sts.assumeCalls().stream()
        .filter(c -> (user + "@example.com").equals(c.param("RoleSessionName")))
        .toList();
  }

  @Test
  void theValuesGivenAreRequestedShownToTheApproverAndMintedAndCachedForThemAlone()
      throws Exception {
    String carol = idp.token("carol", "eng");
    String bob = idp.token("bob", "sre");
    CliRun requested =
        as(
            carol,
            "request",
            "s3-read",
            "--duration",
            "30m",
            "--reason",
            "INC-54 read one bucket",
            "--param",
            "bucket=team-b");
    assertThat(requested.exitCode()).as(requested.err()).isZero();
    assertThat(requested.out())
        .contains(
            "narrows s3-read to bucket=team-b",
            "\"Resource\" : [ \"arn:aws:s3:::team-b/*\" ]",
            "Once approved: stint credentials s3-read --param bucket=team-b");
    String id = requested.out().substring(requested.out().indexOf("req_")).split("\\s")[0];

    CliRun shown = as(bob, "show", id);
    assertThat(shown.out())
        .contains(id + " narrows s3-read to bucket=team-b", "arn:aws:s3:::team-b/*");
    CliRun approved = as(bob, "approve", id);
    assertThat(approved.exitCode()).as(approved.err()).isZero();
    assertThat(approved.out()).contains("narrowed to bucket=team-b (policy sha256 ");

    CliRun minted = as(carol, "credentials", "s3-read", "--param", "bucket=team-b");
    CliRun again = as(carol, "credentials", "s3-read", "--param", "bucket=team-b");
    CliRun other = as(carol, "credentials", "s3-read", "--param", "bucket=team-c", "--no-input");

    assertThat(minted.exitCode()).as(minted.err()).isZero();
    assertThat(again.out()).as("served from the cache").isEqualTo(minted.out());
    assertThat(other.exitCode()).isEqualTo(CliException.REFUSED);
    assertThat(other.out()).isEmpty();
    assertThat(other.err()).contains("approval_required");
    List<Call> calls = callsFor("carol");
    assertThat(calls).hasSize(1);
    assertThat(new ObjectMapper().readTree(calls.get(0).param("Policy")).toString())
        .contains("arn:aws:s3:::team-b/*");
  }

  /**
   * Each shape a value must never take, given as a shell would pass it: the command ends non-zero
   * with the server's reason, which names the parameter and never the value, says what to do next,
   * and nothing reaches STS.
   */
  @ParameterizedTest
  @MethodSource("dev.stint.testing.ParameterInjections#shapes")
  void everyRefusedValueEndsTheCommandWithTheServersReasonAndNothingReachesSts(String value) {
    String eve = idp.token("eve", "eng");

    CliRun requested =
        as(
            eve,
            "request",
            "s3-read",
            "--duration",
            "30m",
            "--reason",
            "INC-54",
            "--param",
            "bucket=" + value);
    CliRun minted = as(eve, "credentials", "s3-read", "--param", "bucket=" + value, "--no-input");

    for (CliRun run : List.of(requested, minted)) {
      assertThat(run.exitCode()).as(run.err()).isEqualTo(CliException.REFUSED);
      assertThat(run.out()).isEmpty();
      assertThat(run.err())
          .startsWith("stint: parameters of profile 's3-read': bucket:")
          .contains("(invalid_request")
          .contains("'stint profiles' lists what s3-read takes; give each with --param NAME=VALUE")
          .doesNotContain("aaaaaaaaaa");
    }
    assertThat(callsFor("eve")).isEmpty();
  }

  @Test
  void malformedFlagsAreUsageErrorsBeforeAnythingIsSent() {
    String fay = idp.token("fay", "eng");
    long before = sts.assumeCalls().size();

    CliRun noEquals = as(fay, "credentials", "s3-read", "--param", "bucket");
    CliRun noName = as(fay, "credentials", "s3-read", "--param", "=team-a");
    CliRun twice =
        as(
            fay,
            "request",
            "s3-read",
            "--duration",
            "30m",
            "--param",
            "bucket=a",
            "--param",
            "bucket=b");
    CliRun bundled =
        as(fay, "request", "s3-read", "s3-read", "--duration", "30m", "--param", "bucket=a");

    assertThat(noEquals.err()).contains("--param takes NAME=VALUE").contains("'bucket' has no '='");
    assertThat(noName.err()).contains("one flag names no parameter");
    assertThat(twice.err()).contains("--param bucket is given twice");
    assertThat(bundled.err()).contains("--param narrows one profile");
    for (CliRun run : List.of(noEquals, noName, twice, bundled)) {
      assertThat(run.exitCode()).as(run.err()).isEqualTo(CliException.USAGE);
    }
    assertThat(as(fay, "requests", "--mine", "-o", "json").out())
        .as("nothing was filed")
        .doesNotContain("s3-read");
    assertThat(sts.assumeCalls()).hasSize((int) before);
  }

  @Test
  void profilesSaysWhatANarrowedProfileTakes() {
    CliRun listed = as(idp.token("gus", "eng"), "profiles");

    assertThat(listed.exitCode()).as(listed.err()).isZero();
    assertThat(listed.out())
        .contains(
            "s3-read is narrowed: give each value",
            "--param bucket=VALUE  The bucket to read (pattern [a-z0-9][a-z0-9-]{1,61}[a-z0-9])");
  }
}
