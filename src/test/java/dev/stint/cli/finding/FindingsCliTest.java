package dev.stint.cli.finding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.testing.CliRun;
import dev.stint.testing.FakeStintApi;
import dev.stint.testing.TestIdp;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stint findings}: one request's or lease's findings, or everyone's since a time, as a table
 * with each finding's sentence and the next step; JSON as the server answers; a bad id or time
 * refused before any call.
 */
class FindingsCliTest {
  private static final TestIdp IDP = new TestIdp("corp");
  private static final String ALICE = IDP.token("alice", "eng");
  static final String REQUEST = "req_abcdefghijklmnopqrstuvwx";
  static final String LEASE = "lse_abcdefghijklmnopqrstuvwx";

  static String finding(String id, Instant raised, String action, String lease) {
    return "{\"id\":\""
        + id
        + "\",\"rule\":\"escape\",\"severity\":\"high\",\"mode\":\"live\",\"request_id\":\""
        + REQUEST
        + "\",\"grant_id\":\"grt_x\","
        + (lease == null ? "" : "\"lease_id\":\"" + lease + "\",")
        + "\"person\":{\"issuer\":\"https://idp\",\"subject\":\"alice\"},\"profile\":\"prod\","
        + "\"events\":[{\"event_id\":\"e1\",\"event_name\":\"CreateAccessKey\","
        + "\"event_source\":\"iam.amazonaws.com\",\"time\":\""
        + raised
        + "\"}],\"why\":\"escape: iam:CreateAccessKey (event e1) makes a credential\","
        + "\"raised_at\":\""
        + raised
        + "\",\"action\":\""
        + action
        + "\"}";
  }

  @TempDir Path home;
  private final Instant now = Instant.now();
  private final FakeStintApi api =
      new FakeStintApi()
          .answer(
              "/v1/requests/" + REQUEST + "/findings",
              "{\"findings\":["
                  + finding("fnd_new", now.minusSeconds(60), "notified", LEASE)
                  + ","
                  + finding("fnd_old", now.minusSeconds(10 * 86400), "notified", null)
                  + "]}")
          .answer(
              "/v1/leases/" + LEASE + "/findings",
              "{\"findings\":[" + finding("fnd_new", now, "lease_ended", LEASE) + "]}")
          .answer("/v1/findings?since=7d", "{\"since\":\"x\",\"findings\":[],\"truncated\":false}")
          .answer(
              "/v1/findings?since=2h",
              "{\"since\":\"x\",\"findings\":["
                  + finding("fnd_new", now, "notified", null)
                  + "],\"truncated\":false}");

  FindingsCliTest() throws Exception {}

  @AfterEach
  void stop() {
    api.close();
  }

  @AfterAll
  static void stopIdp() {
    IDP.close();
  }

  private CliRun run(String... args) {
    return CliRun.run(
        home, Map.of("STINT_SERVER", api.uri().toString(), "STINT_TOKEN", ALICE), args);
  }

  @Test
  void aRequestsFindingsAreATableTheirSentencesAndTheNextStep() {
    CliRun run = run("findings", REQUEST);

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .containsPattern("fnd_new +high +escape +live +notified +" + REQUEST + " +" + LEASE)
        .contains("fnd_old")
        .contains("fnd_new: escape: iam:CreateAccessKey (event e1) makes a credential")
        .contains("next: stint activity " + REQUEST)
        .contains("stint revoke " + REQUEST)
        .contains("stint lease revoke " + LEASE);
  }

  @Test
  void sinceKeepsOnlyTheNewerOfARequestsFindings() {
    CliRun run = run("findings", REQUEST, "--since", "7d");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("fnd_new").doesNotContain("fnd_old");
  }

  @Test
  void aLeasesFindingsAndWhatTheFindingEnded() {
    CliRun run = run("findings", LEASE);

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("lease_ended").contains("the finding ended it");
  }

  @Test
  void everyonesFindingsAskTheServerSinceSevenDaysOrAsToldAndJsonIsTheAnswer() {
    assertThat(run("findings").out()).contains("no findings since 7d");
    CliRun json = run("findings", "--since", "2h", "-o", "json");

    assertThat(json.exitCode()).as(json.err()).isZero();
    assertThat(json.out()).startsWith("{\"since\":\"x\",\"findings\":[{\"id\":\"fnd_new\"");
    assertThat(api.received())
        .extracting(FakeStintApi.Received::query)
        .containsExactly("since=7d", "since=2h");
  }

  @Test
  void aBadIdOrTimeIsRefusedBeforeAnyCall() {
    assertThat(run("findings", "grt_abc").exitCode()).isEqualTo(2);
    assertThat(run("findings", REQUEST, "--since", "soon").exitCode()).isEqualTo(2);
    assertThat(api.received()).isEmpty();
  }
}
