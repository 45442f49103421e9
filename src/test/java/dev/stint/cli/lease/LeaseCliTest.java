package dev.stint.cli.lease;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.cli.CliException;
import dev.stint.cli.lease.LeaseApiStandIn.Received;
import dev.stint.testing.CliRun;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stint lease create|activity|revoke} against {@link LeaseApiStandIn}: what the command
 * sends (method, path, the person's bearer, body), what it prints (the lease and its next step,
 * never the token), the token file it leaves (0600, the token alone) and the AWS profile it writes.
 * The commands on the server itself, list and show among them, are {@link LeaseServerCliTest}'s.
 */
class LeaseCliTest {
  static final String PERSON = "person-oidc-token-of-carol";
  static final String REQUEST = "req_abcdefgh234567";

  @TempDir Path home;
  LeaseApiStandIn api;

  @BeforeEach
  void start() throws Exception {
    api = new LeaseApiStandIn(PERSON);
  }

  @AfterEach
  void stop() throws Exception {
    api.close();
  }

  CliRun stint(Map<String, String> extra, String... args) {
    Map<String, String> env =
        new HashMap<>(Map.of("STINT_SERVER", api.url(), "STINT_TOKEN", PERSON));
    env.putAll(extra);
    return CliRun.run(home, env, args);
  }

  CliRun stint(String... args) {
    return stint(Map.of(), args);
  }

  static String leaseIdIn(String out) {
    int at = out.indexOf("lse_");
    return out.substring(at, at + 28);
  }

  @Test
  void createSendsTheAskWritesTheTokenToAPrivateFileAndNeverPrintsIt() throws Exception {
    Path policy = home.resolve("policy.json");
    Files.writeString(
        policy,
        "[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::team-logs/*\"}]");
    CliRun run =
        stint(
            "lease",
            "create",
            REQUEST,
            "--task",
            "rotate the logs",
            "--duration",
            "30m",
            "--policy",
            policy.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    Received sent = api.received().get(0);
    assertThat(sent.method()).isEqualTo("POST");
    assertThat(sent.path()).isEqualTo("/v1/requests/" + REQUEST + "/leases");
    assertThat(sent.authorization()).isEqualTo("Bearer " + PERSON);
    assertThat(sent.body())
        .isEqualTo(
            new JsonObject()
                .put("task", "rotate the logs")
                .put("duration_seconds", 1800)
                .put("session_policy", new JsonArray(Files.readString(policy))));

    String lease = leaseIdIn(run.out());
    String token = api.tokenOf(lease);
    Path file = home.resolve(".config/stint/leases/" + lease + ".token");
    assertThat(Files.readString(file)).isEqualTo(token + "\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
        .isEqualTo("rwx------");
    String secret = token.substring(token.indexOf('.') + 1);
    assertThat(run.out() + run.err()).doesNotContain(secret).doesNotContain(token);
    assertThat(run.out())
        .contains(
            "lease " + lease + " of " + REQUEST + " (aws-prod) is active until",
            "task:       rotate the logs",
            "policy:     1 statement(s) of its own, sha256 ",
            "token:      written to " + file + " (0600)",
            "Next: stint credentials --lease-file " + file,
            "export STINT_LEASE_TOKEN=\"$(cat " + file + ")\"",
            "Revoke it: stint lease revoke " + lease);
  }

  @Test
  void createAsJsonNamesTheTokenFileAndHoldsNoToken() {
    CliRun run = stint("lease", "create", REQUEST, "--task", "t", "--duration", "5m", "-o", "json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonObject printed = new JsonObject(run.out());
    String lease = printed.getString("id");
    assertThat(printed.containsKey("lease_token")).isFalse();
    assertThat(printed.getString("token_file"))
        .isEqualTo(home.resolve(".config/stint/leases/" + lease + ".token").toString());
    assertThat(run.out()).doesNotContain(api.tokenOf(lease));
    assertThat(printed.getValue("policy")).isNull();
  }

  @Test
  void aLeaseForAnAgentHasNoTokenAndSaysHowTheAgentMints() throws Exception {
    CliRun run =
        stint(
            "lease",
            "create",
            REQUEST,
            "--task",
            "triage",
            "--duration",
            "1h",
            "--agent-issuer",
            "https://agents.example.com",
            "--agent-subject",
            "bot-7");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(api.received().get(0).body().getJsonObject("agent"))
        .isEqualTo(
            new JsonObject().put("issuer", "https://agents.example.com").put("subject", "bot-7"));
    String lease = leaseIdIn(run.out());
    assertThat(run.out())
        .contains(
            "agent:      bot-7 (https://agents.example.com)",
            "POST /v1/credentials {\"lease\": \"" + lease + "\"}")
        .doesNotContain("token:      written");
    assertThat(home.resolve(".config/stint/leases")).doesNotExist();
  }

  @Test
  void flagsTheCommandRefusesSendNothing() throws Exception {
    Path notJson = home.resolve("policy.txt");
    Files.writeString(notJson, "Allow everything");
    List<String[]> refused =
        List.of(
            new String[] {"lease", "create", "req_", "--task", "t", "--duration", "5m"},
            new String[] {"lease", "create", REQUEST, "--task", "t", "--duration", "5 minutes"},
            new String[] {
              "lease", "create", REQUEST, "--task", "t", "--duration", "5m", "--param", "bucket"
            },
            new String[] {
              "lease",
              "create",
              REQUEST,
              "--task",
              "t",
              "--duration",
              "5m",
              "--policy",
              notJson.toString()
            },
            new String[] {
              "lease",
              "create",
              REQUEST,
              "--task",
              "t",
              "--duration",
              "5m",
              "--agent-issuer",
              "https://agents.example.com"
            },
            new String[] {
              "lease",
              "create",
              REQUEST,
              "--task",
              "t",
              "--duration",
              "5m",
              "--agent-issuer",
              "https://a.example.com",
              "--agent-subject",
              "b",
              "--aws-profile",
              "x"
            },
            new String[] {"lease", "show", "lse_short"},
            new String[] {"lease", "revoke", "../etc"},
            new String[] {"lease", "list", "lse_abc"});
    for (String[] args : refused) {
      CliRun run = stint(args);
      assertThat(run.exitCode()).as(String.join(" ", args)).isEqualTo(CliException.USAGE);
      assertThat(run.err()).startsWith("stint: ");
    }
    assertThat(api.received()).isEmpty();
  }

  @Test
  void paramSendsTheValuesAndTheServersRefusalOfParamWithPolicyLeavesNoFile() throws Exception {
    Path policy = home.resolve("policy.json");
    Files.writeString(policy, "[]");

    CliRun values =
        stint(
            "lease", "create", REQUEST, "--task", "t", "--duration", "5m", "--param", "bucket=b-1");
    CliRun both =
        stint(
            "lease",
            "create",
            REQUEST,
            "--task",
            "t",
            "--duration",
            "5m",
            "--param",
            "bucket=b-1",
            "--policy",
            policy.toString());

    assertThat(values.exitCode()).as(values.err()).isZero();
    assertThat(api.received().get(0).body().getJsonObject("parameters"))
        .isEqualTo(new JsonObject().put("bucket", "b-1"));
    assertThat(values.out()).contains("parameters: bucket=b-1");
    assertThat(both.exitCode()).isEqualTo(CliException.REFUSED);
    assertThat(both.err())
        .isEqualTo(
            "stint: give a lease parameters or a session_policy, not both"
                + " (invalid_request, trace trace-1)\n");
    try (Stream<Path> files = Files.list(home.resolve(".config/stint/leases"))) {
      assertThat(files.toList()).as("the first lease's file alone").hasSize(1);
    }
  }

  /**
   * A lease's activity as the server shapes it (LeaseActivityTest holds the server's side) and what
   * only a recording shows (the revoke's body); list, show and revoke as printed are {@link
   * LeaseServerCliTest}'s, on the server.
   */
  @Test
  void activityPrintsEachEventAndRevokeSendsTheComment() {
    String lease =
        leaseIdIn(stint("lease", "create", REQUEST, "--task", "t", "--duration", "5m").out());

    CliRun activity = stint("lease", "activity", lease);
    assertThat(activity.out())
        .contains(
            "2026-11-28T00:10:00Z  s3.amazonaws.com ListBuckets  credential_id=crd_standin1"
                + "  access_key_id=ASIASTANDIN000000001  aws_region=eu-west-1",
            "not settled")
        .doesNotContain("error_code");

    CliRun revoked = stint("lease", "revoke", lease, "--comment", "task done");
    assertThat(revoked.exitCode()).as(revoked.err()).isZero();
    Received sent = api.received().get(api.received().size() - 1);
    assertThat(sent.method() + " " + sent.path()).isEqualTo("POST /v1/leases/" + lease + "/revoke");
    assertThat(sent.body()).isEqualTo(new JsonObject().put("comment", "task done"));
    assertThat(sent.authorization()).isEqualTo("Bearer " + PERSON);
  }

  @Test
  void awsProfileWritesItsOwnBlockKeepsOthersAndRefusesANameTakenElsewhere() throws Exception {
    Path config = home.resolve(".aws/config");
    Files.createDirectories(config.getParent());
    Files.writeString(config, "[profile mine]\nregion = eu-west-1\n");
    Map<String, String> env = Map.of("STINT_COMMAND", "/opt/stint/bin/stint");

    CliRun first =
        stint(
            env,
            "lease",
            "create",
            REQUEST,
            "--task",
            "t",
            "--duration",
            "5m",
            "--aws-profile",
            "task-a");
    assertThat(first.exitCode()).as(first.err()).isZero();
    String lease = leaseIdIn(first.out());
    Path file = home.resolve(".config/stint/leases/" + lease + ".token");
    assertThat(Files.readString(config))
        .startsWith("[profile mine]\nregion = eu-west-1\n\n# >>> stint lease profiles\n")
        .contains(
            "[profile task-a]\ncredential_process = /opt/stint/bin/stint credentials"
                + " --lease-file "
                + file
                + " --server "
                + api.url()
                + "\n")
        .endsWith("# <<< stint lease profiles\n");
    assertThat(first.out())
        .contains(
            "Wrote [profile task-a] to " + config,
            "Next: AWS_PROFILE=task-a aws sts get-caller-identity")
        .doesNotContain(api.tokenOf(lease));

    String second =
        leaseIdIn(
            stint(
                    env,
                    "lease",
                    "create",
                    REQUEST,
                    "--task",
                    "t",
                    "--duration",
                    "5m",
                    "--aws-profile",
                    "task-b")
                .out());
    String third =
        leaseIdIn(
            stint(
                    env,
                    "lease",
                    "create",
                    REQUEST,
                    "--task",
                    "t",
                    "--duration",
                    "5m",
                    "--aws-profile",
                    "task-a")
                .out());
    String text = Files.readString(config);
    assertThat(text).contains(second + ".token", third + ".token").doesNotContain(lease);
    assertThat(text.split("\\[profile task-a\\]", -1)).hasSize(2);

    int sent = api.received().size();
    CliRun clash =
        stint(
            env,
            "lease",
            "create",
            REQUEST,
            "--task",
            "t",
            "--duration",
            "5m",
            "--aws-profile",
            "mine");
    assertThat(clash.exitCode()).isEqualTo(CliException.FAILED);
    assertThat(clash.err())
        .contains("profile mine is already defined outside stint's block", "--aws-profile");
    assertThat(api.received()).hasSize(sent);
    assertThat(Files.readString(config)).isEqualTo(text);
  }

  @Test
  void awsProfileWithoutAKnownStintSendsNothing() {
    CliRun run =
        stint("lease", "create", REQUEST, "--task", "t", "--duration", "5m", "--aws-profile", "a");

    assertThat(run.exitCode()).isEqualTo(CliException.USAGE);
    assertThat(run.err()).contains("STINT_COMMAND");
    assertThat(api.received()).isEmpty();
  }
}
