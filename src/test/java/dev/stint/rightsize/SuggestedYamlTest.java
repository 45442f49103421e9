package dev.stint.rightsize;

import static dev.stint.rightsize.SuggestionRig.GRANT_KEY;
import static dev.stint.rightsize.SuggestionRig.call;
import static dev.stint.rightsize.SuggestionRig.caller;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.http.SuggestionRoutes;
import dev.stint.testing.CliRun;
import dev.stint.testing.FakeStintApi;
import dev.stint.testing.TestIdp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loop's last step: a real suggestion, answered as the API answers it, printed by {@code stint
 * profile suggest --yaml} and put under the profile's {@code aws:} in place of today's {@code
 * session_policy}, is a policy {@code stint policy check} accepts; the table names the actions, the
 * proofs and what nobody used; a profile without calls prints nothing to paste and fails.
 */
class SuggestedYamlTest {
  private static final TestIdp IDP = new TestIdp("corp");
  private final SuggestionRig rig = new SuggestionRig();
  private final FakeStintApi api = new FakeStintApi();
  @TempDir Path home;
  @TempDir Path policies;

  SuggestedYamlTest() throws Exception {}

  @AfterEach
  void close() throws Exception {
    api.close();
    rig.close();
  }

  @AfterAll
  static void stopIdp() {
    IDP.close();
  }

  private CliRun run(String... args) {
    return CliRun.run(
        home,
        Map.of("STINT_SERVER", api.uri().toString(), "STINT_TOKEN", IDP.token("carol", "security")),
        args);
  }

  private void answerWithTheRealSuggestion() throws Exception {
    api.answer(
        "/v1/profiles/prod/suggestion?since=90d",
        SuggestionRoutes.json(rig.suggest(caller("carol", "security"), "prod")).encode());
  }

  @Test
  void theYamlIsADropInSessionPolicyThatPolicyCheckAccepts() throws Exception {
    rig.push(
        call("s3.amazonaws.com", "ListObjectsV2", GRANT_KEY)
            .parameter("bucketName", "acme-data")
            .parameter("prefix", "reports/"));
    rig.push(
        call("s3.amazonaws.com", "GetObject", GRANT_KEY)
            .data()
            .parameter("bucketName", "acme-data")
            .parameter("key", "reports/q1.csv"));
    answerWithTheRealSuggestion();

    CliRun yaml = run("profile", "suggest", "prod", "--yaml");

    assertThat(yaml.exitCode()).as(yaml.err()).isZero();
    assertThat(yaml.out()).contains("session_policy:").contains("s3:ListBucket");
    String block = yaml.out().replaceAll("(?m)^", "      ");
    Files.writeString(policies.resolve("policy.yaml"), SuggestionRig.policy(block));
    CliRun check = run("policy", "check", policies.toString());
    assertThat(check.exitCode()).as(check.out() + check.err()).isZero();
    assertThat(check.out()).contains(": ok");
  }

  @Test
  void theTableNamesTheActionsTheProofsAndWhatNobodyUsed() throws Exception {
    rig.push(
        call("s3.amazonaws.com", "HeadObject", GRANT_KEY)
            .data()
            .parameter("bucketName", "acme-data")
            .parameter("key", "reports/q1.csv"));
    answerWithTheRealSuggestion();

    CliRun table = run("profile", "suggest", "prod");

    assertThat(table.exitCode()).as(table.err()).isZero();
    assertThat(table.out())
        .containsPattern("s3:GetObject +1 +\\S+ +arn:aws:s3:::acme-data/reports/\\*")
        .contains("within today's policy: proven")
        .contains("allows every observed call: proven")
        .contains("unused today: dynamodb:*, cloudwatch:Get*, ec2:*");
  }

  @Test
  void aProfileWithoutCallsHasNothingToPaste() throws Exception {
    answerWithTheRealSuggestion();

    CliRun yaml = run("profile", "suggest", "prod", "--yaml");

    assertThat(yaml.exitCode()).isNotZero();
    assertThat(yaml.out()).doesNotContain("session_policy");
    assertThat(yaml.err()).contains("nothing to suggest");
  }
}
