package dev.stint.cli.lease;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.cli.CliException;
import dev.stint.cli.lease.LeaseApiStandIn.Received;
import dev.stint.testing.CliRun;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The region of the AWS profile {@code stint lease create --aws-profile} writes, decided as {@code
 * stint setup aws} decides it: {@code --region}, else the region the lease's profile names in the
 * policy ({@code GET /v1/profiles}, asked before the lease), else none, said on stdout. AWS tools
 * refuse most calls without one, so the trial's lease profile failed where setup's worked.
 */
class LeaseAwsProfileRegionTest {
  @TempDir Path home;
  LeaseApiStandIn api;
  Path config;

  @BeforeEach
  void start() throws Exception {
    api = new LeaseApiStandIn(LeaseCliTest.PERSON);
    config = home.resolve(".aws/config");
  }

  @AfterEach
  void stop() throws Exception {
    api.close();
  }

  CliRun create(String... extra) {
    Map<String, String> env =
        new HashMap<>(
            Map.of(
                "STINT_SERVER",
                api.url(),
                "STINT_TOKEN",
                LeaseCliTest.PERSON,
                "STINT_COMMAND",
                "/opt/stint/bin/stint"));
    List<String> args =
        new ArrayList<>(
            List.of("lease", "create", LeaseCliTest.REQUEST, "--task", "t", "--duration", "5m"));
    args.addAll(List.of(extra));
    return CliRun.run(home, env, args.toArray(String[]::new));
  }

  /** The section of {@code [profile name]} in the written config, up to the next blank line. */
  String section(String name) throws Exception {
    String text = Files.readString(config);
    int at = text.indexOf("[profile " + name + "]");
    assertThat(at).as(text).isNotNegative();
    int end = text.indexOf("\n\n", at);
    return text.substring(at, end < 0 ? text.indexOf("# <<<", at) : end + 1);
  }

  String tokenFile(CliRun run) {
    return home.resolve(".config/stint/leases/" + LeaseCliTest.leaseIdIn(run.out()) + ".token")
        .toString();
  }

  @Test
  void theProfileCarriesTheRegionItsStintProfileNamesAskedBeforeTheLease() throws Exception {
    CliRun run = create("--aws-profile", "task-a");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(section("task-a"))
        .isEqualTo(
            "[profile task-a]\n"
                + "credential_process = /opt/stint/bin/stint credentials --lease-file "
                + tokenFile(run)
                + " --server "
                + api.url()
                + "\nregion = eu-west-1\n");
    List<Received> sent = api.received();
    assertThat(sent.get(0).method() + " " + sent.get(0).path()).isEqualTo("GET /v1/profiles");
    assertThat(sent.get(1).path()).isEqualTo("/v1/requests/" + LeaseCliTest.REQUEST + "/leases");
    assertThat(run.out()).doesNotContain("names no region");
  }

  @Test
  void regionOverridesThePolicysAndAsksNoProfiles() throws Exception {
    CliRun run = create("--aws-profile", "task-b", "--region", "us-west-2", "-o", "json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(section("task-b")).endsWith("\nregion = us-west-2\n").doesNotContain("eu-west-1");
    assertThat(new JsonObject(run.out()).getString("aws_region")).isEqualTo("us-west-2");
    assertThat(api.received()).noneMatch(r -> r.path().equals("/v1/profiles"));
  }

  @Test
  void aProfileThePolicyGivesNoRegionIsWrittenWithoutOneAndSaysSo() throws Exception {
    api.region(null);
    CliRun run = create("--aws-profile", "task-c");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(section("task-c")).doesNotContain("region");
    assertThat(run.out())
        .contains("It names no region (the policy gives this profile none)", "--region R");
  }

  @Test
  void aProfileWrittenAgainGetsTheRegionDecidedNowNotTheOneBefore() throws Exception {
    assertThat(create("--aws-profile", "task-d", "--region", "ap-south-1").exitCode()).isZero();
    CliRun again = create("--aws-profile", "task-d");

    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(section("task-d")).endsWith("\nregion = eu-west-1\n").doesNotContain("ap-south-1");
    assertThat(Files.readString(config).split("\\[profile task-d\\]", -1)).hasSize(2);
  }

  @Test
  void aRegionWithoutAProfileOrNotAConfigWordIsRefusedBeforeAnythingIsSent() {
    CliRun alone = create("--region", "eu-west-1");
    CliRun odd = create("--aws-profile", "task-e", "--region", "eu-west-1\nx = y");

    assertThat(alone.exitCode()).isEqualTo(CliException.USAGE);
    assertThat(alone.err()).contains("--region goes with --aws-profile");
    assertThat(odd.exitCode()).isEqualTo(CliException.USAGE);
    assertThat(api.received()).isEmpty();
    assertThat(config).doesNotExist();
  }
}
