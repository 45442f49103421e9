package dev.stint.cli.review;

import static dev.stint.cli.review.ReviewApiStandIn.IDP;
import static dev.stint.cli.review.ReviewApiStandIn.PARTNERS;
import static dev.stint.cli.review.ReviewApiStandIn.REVIEW;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.cli.CliException;
import dev.stint.cli.review.ReviewApiStandIn.Received;
import dev.stint.testing.CliRun;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stint access-review list|show|open|restore} against {@link ReviewApiStandIn}: the exact
 * requests sent (path, query, Accept, the reviewer's bearer, body), what is printed with its next
 * step, the export passed on unchanged, and the refusals, the server's and the command's own.
 * {@code decide} is {@link AccessReviewDecideCliTest}'s.
 */
class AccessReviewCliTest {
  static final String TOKEN = "oidc-token-of-zoe";

  @TempDir Path home;
  ReviewApiStandIn api;

  @BeforeEach
  void start() throws Exception {
    api = new ReviewApiStandIn(TOKEN);
  }

  @AfterEach
  void stop() throws Exception {
    api.close();
  }

  static CliRun stint(Path home, ReviewApiStandIn api, String... args) {
    return CliRun.run(home, Map.of("STINT_SERVER", api.url(), "STINT_TOKEN", TOKEN), args);
  }

  CliRun stint(String... args) {
    return stint(home, api, args);
  }

  @Test
  void listSendsTheFiltersAndPrintsATableWithTheNextStep() {
    CliRun run = stint("access-review", "list", "--state", "open", "--profile", "prod-admin");

    assertThat(run.exitCode()).as(run.err()).isZero();
    Received sent = api.received().get(0);
    assertThat(sent.method() + " " + sent.path() + "?" + sent.query())
        .isEqualTo("GET /v1/access-reviews?state=open&profile=prod-admin");
    assertThat(sent.authorization()).isEqualTo("Bearer " + TOKEN);
    assertThat(run.out())
        .isEqualTo(
            "ID                            PROFILE     STATE  DUE                   DECIDED\n"
                + REVIEW
                + "  prod-admin  open   2026-12-04T00:00:00Z  1/5\n"
                + "\n"
                + "Next: stint access-review show "
                + REVIEW
                + " for its people\n");
  }

  @Test
  void listWithNothingToShowSaysHowOneOpens() {
    CliRun run = stint("access-review", "list", "--state", "closed");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(api.received().get(0).query()).isEqualTo("state=closed");
    assertThat(run.out())
        .contains("no access reviews you may see in that state.")
        .contains("stint access-review open PROFILE");
  }

  @Test
  void listAndShowAsJsonPrintTheServersDocument() {
    CliRun list = stint("access-review", "list", "--json");
    CliRun show = stint("access-review", "show", REVIEW, "-o", "json");

    assertThat(list.exitCode()).as(list.err()).isZero();
    assertThat(new JsonObject(list.out()).getJsonArray("reviews")).hasSize(1);
    assertThat(new JsonObject(show.out())).isEqualTo(api.review());
  }

  @Test
  void showPrintsEachPersonAsDecideTakesThemAndTheNextStep() {
    CliRun run = stint("access-review", "show", REVIEW);

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .isEqualTo(
            "review:       "
                + REVIEW
                + " of prod-admin\n"
                + "state:        open\n"
                + "opened:       2026-11-20T00:00:00Z by u-admin ("
                + IDP
                + ")\n"
                + "due:          2026-12-04T00:00:00Z (undecided then: suspend)\n"
                + "usage since:  2026-08-22T00:00:00Z\n"
                + "decided:      1/5 (kept 1, removed 0)\n"
                + "\n"
                + "WHO                                   ELIGIBLE BY                     GRANTS"
                + "  LAST MINTED           CALLS  UNUSED  SUGGESTION                        DECISION\n"
                + "alice@example.com                     admins (directory; groups sre)  3       2026-11-25T10:00:00Z  120    0       keep: minted weekly               -\n"
                + "Bob@Example.com                       admins (directory; groups sre)  3       never                 0      3       remove: no credential in 90 days  -\n"
                + ""
                + IDP
                + "#u-carol       admins (directory; groups sre)  3       2026-11-25T10:00:00Z  120    0       keep: minted weekly               -\n"
                + ""
                + PARTNERS
                + "#u-carol  admins (directory; groups sre)  3       never                 0      3       remove: unused grants             -\n"
                + "u-dave                                admins (directory; groups sre)  3       2026-11-25T10:00:00Z  120    0       keep: on call                     keep by u-zoe ("
                + IDP
                + ")\n"
                + "\n"
                + "4 to decide.\n"
                + "Next: stint access-review decide "
                + REVIEW
                + " --keep PERSON --remove PERSON (or --follow-suggestions), PERSON as WHO above\n");
    assertThat(api.received()).hasSize(1);
    assertThat(api.received().get(0).path()).isEqualTo("/v1/access-reviews/" + REVIEW);
  }

  @Test
  void exportWritesTheServersCsvUnchanged() {
    CliRun run = stint("access-review", "show", REVIEW, "--export", "csv");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo(ReviewApiStandIn.CSV);
    assertThat(run.err()).isEmpty();
    Received sent = api.received().get(0);
    assertThat(sent.path()).isEqualTo("/v1/access-reviews/" + REVIEW + "/export");
    assertThat(sent.query()).isEqualTo("format=csv");
    assertThat(sent.accept()).isEqualTo("text/csv");
    assertThat(sent.authorization()).isEqualTo("Bearer " + TOKEN);
  }

  @Test
  void exportWritesTheServersJsonUnchangedNotReprinted() {
    CliRun run = stint("access-review", "show", REVIEW, "--export", "JSON");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo(api.review().encodePrettily() + "\n");
    assertThat(api.received().get(0).query()).isEqualTo("format=json");
    assertThat(api.received().get(0).accept()).isEqualTo("application/json");
  }

  @Test
  void whatTheCommandRefusesSendsNothing() {
    List<String[]> refused =
        List.of(
            new String[] {"access-review", "show", REVIEW, "--export", "xml"},
            new String[] {"access-review", "show", REVIEW, "--export", "csv", "--json"},
            new String[] {"access-review", "show", "../v1/requests"},
            new String[] {"access-review", "show", "req_abcdefgh"},
            new String[] {"access-review", "list", "--state", "pending"},
            new String[] {"access-review", "restore", "prod-admin", "--subject", "u-bob"},
            new String[] {"access-review", "decide", "rvw_X", "--keep", "u-bob"});
    for (String[] args : refused) {
      CliRun run = stint(args);
      assertThat(run.exitCode()).as(String.join(" ", args)).isEqualTo(CliException.USAGE);
      assertThat(run.err()).as(String.join(" ", args)).startsWith("stint: ");
      assertThat(run.out()).isEmpty();
    }
    assertThat(stint(refused.get(0)).err()).contains("--export", "xml", "CSV, JSON");
    assertThat(stint(refused.get(2)).err())
        .isEqualTo("stint: '../v1/requests' is not a review id (rvw_…)\n");
    assertThat(api.received()).isEmpty();
  }

  @Test
  void aServersRefusalIsPrintedAsEveryCommandPrintsOne() {
    api.refuse(
        "GET",
        "/v1/access-reviews/" + REVIEW + "/export",
        403,
        "forbidden",
        "you are not a reviewer of prod-admin");

    CliRun run = stint("access-review", "show", REVIEW, "--export", "csv");

    assertThat(run.exitCode()).isEqualTo(CliException.REFUSED);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .isEqualTo("stint: you are not a reviewer of prod-admin (forbidden, trace trace-1)\n");
  }

  @Test
  void openSendsTheProfileAndNamesTheReviewToShow() {
    CliRun run = stint("access-review", "open", "gcp-owner");

    assertThat(run.exitCode()).as(run.err()).isZero();
    Received sent = api.received().get(0);
    assertThat(sent.method() + " " + sent.path()).isEqualTo("POST /v1/access-reviews");
    assertThat(sent.body()).isEqualTo(new JsonObject().put("profile", "gcp-owner"));
    assertThat(run.out())
        .isEqualTo(
            "opened review "
                + ReviewApiStandIn.OPENED
                + " of gcp-owner: 5 people to review, due 2026-12-04T00:00:00Z"
                + " (undecided then: suspend).\n"
                + "Next: stint access-review show "
                + ReviewApiStandIn.OPENED
                + "\n");
  }

  @Test
  void openingAProfileWithAnOpenReviewPrintsTheServersDetail() {
    CliRun run = stint("access-review", "open", "prod-admin");

    assertThat(run.exitCode()).isEqualTo(CliException.REFUSED);
    assertThat(run.err())
        .isEqualTo(
            "stint: a review of prod-admin is open already: "
                + REVIEW
                + " (conflict, trace trace-1)\n");
  }

  @Test
  void restoreSendsThePersonAndSaysTheyMayRequestAgain() {
    CliRun run =
        stint("access-review", "restore", "prod-admin", "--issuer", IDP, "--subject", "u-bob");

    assertThat(run.exitCode()).as(run.err()).isZero();
    Received sent = api.received().get(0);
    assertThat(sent.method() + " " + sent.path()).isEqualTo("POST /v1/eligibility/restore");
    assertThat(sent.body())
        .isEqualTo(
            new JsonObject()
                .put("profile", "prod-admin")
                .put("issuer", IDP)
                .put("subject", "u-bob"));
    assertThat(run.out())
        .isEqualTo(
            "restored u-bob ("
                + IDP
                + ") to prod-admin: suspended by review "
                + REVIEW
                + " at 2026-11-28T09:00:00Z, restored at 2026-11-28T10:00:00Z.\n"
                + "Next: they may request it again: stint request prod-admin\n");
  }

  @Test
  void restoringSomeoneNotSuspendedPrintsTheServersDetail() {
    CliRun run =
        stint("access-review", "restore", "prod-admin", "--issuer", IDP, "--subject", "u-alice");

    assertThat(run.exitCode()).isEqualTo(CliException.REFUSED);
    assertThat(run.err())
        .isEqualTo(
            "stint: that person is not suspended from that profile (not_found, trace trace-1)\n");
  }

  static JsonArray itemsSent(ReviewApiStandIn api) {
    Received post = api.received().get(api.received().size() - 1);
    assertThat(post.method() + " " + post.path())
        .isEqualTo("POST /v1/access-reviews/" + REVIEW + "/decisions");
    return post.body().getJsonArray("items");
  }
}
