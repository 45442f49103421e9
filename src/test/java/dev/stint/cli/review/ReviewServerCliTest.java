package dev.stint.cli.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.cli.CliException;
import dev.stint.config.DatabaseUrl;
import dev.stint.testing.ApiCalls;
import dev.stint.testing.AuditTables;
import dev.stint.testing.CliRun;
import dev.stint.testing.Eventually;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stint access-review} on a real server without a directory (the people it has seen): an
 * admin opens a review, which lists and shows each person with the next step; a reviewer removes
 * one and keeps another, and the removed person's next {@code stint request} is refused naming the
 * review; the export is the server's CSV; an admin's restore lets the person request again. The
 * server's refusals (a second open review, one's own item, nothing to restore) are printed as its
 * detail and exit as refusals.
 */
class ReviewServerCliTest {
  static final String REVIEW =
      "{every: 90d, reviewers: '\"security\" in principal.groups', due_in: 14d,"
          + " when_overdue: keep}";

  static DatabaseUrl database;
  static TestIdp idp;
  static TestServer server;

  @TempDir static Path home;

  static String profile(String name) {
    return "  "
        + name
        + ":\n"
        + "    aws: {role_arn: \"arn:aws:iam::111122223333:role/prod\", mode: assume_role}\n"
        + "    max_duration: 1h\n"
        + "    requesters: '\"eng\" in principal.groups'\n"
        + "    approval: {count: 1, approvers: '\"leads\" in principal.groups',"
        + " auto_approve: 'true'}\n"
        + "    access_review: "
        + REVIEW
        + "\n";
  }

  @BeforeAll
  static void start() throws Exception {
    idp = new TestIdp("corp");
    database = TestPostgres.migratedDatabase();
    server =
        TestServer.start(
            database,
            Map.of(),
            "issuers:\n"
                + idp.issuerYaml("corp")
                + "profiles:\n"
                + profile("prod")
                + profile("ops")
                + "admins: '\"admins\" in principal.groups'\n");
    ApiCalls api = new ApiCalls(server);
    for (String user : List.of("alice", "bob", "carol")) {
      assertThat(api.get(token(user), "/v1/profiles").status()).isEqualTo(200);
    }
    Eventually.until(
        "alice, bob and carol are among the people seen",
        Duration.ofSeconds(10),
        () -> AuditTables.strings(database, "SELECT count(*) FROM people_seen").get(0).equals("3"));
    CliRun granted = request("bob", "prod");
    assertThat(granted.exitCode()).as(granted.err()).isZero();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    idp.close();
  }

  /** Each person's token: eng requests, carol (security) reviews, erin (admins) administers. */
  static String token(String user) {
    return switch (user) {
      case "carol" -> idp.token(user, "eng", "security");
      case "erin" -> idp.token(user, "admins");
      default -> idp.token(user, "eng");
    };
  }

  static CliRun as(String user, String... args) {
    return CliRun.run(
        home.resolve(user),
        Map.of("STINT_SERVER", server.uri("/").toString(), "STINT_TOKEN", token(user)),
        args);
  }

  static CliRun request(String user, String profile) {
    return as(user, "request", profile, "--duration", "30m", "--reason", "review cli");
  }

  /** An admin's {@code open}: the id it printed. */
  static String opened(String profile) {
    CliRun open = as("erin", "access-review", "open", profile);
    assertThat(open.exitCode()).as(open.err()).isZero();
    assertThat(open.out()).contains(" of " + profile + ": 3 people to review, due ");
    Matcher id = Pattern.compile("rvw_[a-z0-9]+").matcher(open.out());
    assertThat(id.find()).as(open.out()).isTrue();
    return id.group();
  }

  @Test
  void aReviewerRemovesOneWhoIsRefusedNamingTheReviewUntilAnAdminRestores() {
    String id = opened("prod");

    CliRun again = as("erin", "access-review", "open", "prod");
    CliRun listed = as("erin", "access-review", "list", "--profile", "prod");
    CliRun shown = as("carol", "access-review", "show", id);
    CliRun decided =
        as(
            "carol",
            "access-review",
            "decide",
            id,
            "--remove",
            "alice@example.com",
            "--keep",
            "bob@example.com",
            "--comment",
            "moved to sales");
    CliRun refused = request("alice", "prod");
    CliRun csv = as("carol", "access-review", "show", id, "--export", "csv");
    CliRun restored =
        as(
            "erin",
            "access-review",
            "restore",
            "prod",
            "--issuer",
            idp.issuer(),
            "--subject",
            "alice");
    CliRun requested = request("alice", "prod");
    CliRun nothing =
        as(
            "erin",
            "access-review",
            "restore",
            "prod",
            "--issuer",
            idp.issuer(),
            "--subject",
            "alice");

    assertThat(again.exitCode()).isEqualTo(CliException.REFUSED);
    assertThat(again.err()).contains(id, "(conflict");
    assertThat(listed.exitCode()).as(listed.err()).isZero();
    assertThat(listed.out())
        .contains("ID", "PROFILE", "STATE", "DUE", "DECIDED", id, "prod", "open", "0/3")
        .contains("Next: stint access-review show " + id);
    assertThat(shown.exitCode()).as(shown.err()).isZero();
    assertThat(shown.out())
        .contains("review:       " + id + " of prod", "by erin (" + idp.issuer() + ")")
        .contains("alice@example.com", "bob@example.com", "carol@example.com")
        .contains("WHO", "ELIGIBLE BY", "SUGGESTION", "claims; groups eng")
        .contains("remove: never had a credential of this profile  ")
        .contains("3 to decide.", "Next: stint access-review decide " + id + " --keep PERSON");
    assertThat(decided.exitCode()).as(decided.err()).isZero();
    assertThat(decided.out())
        .contains("decided 2 in review " + id + ":")
        .contains("remove alice@example.com", "keep   bob@example.com")
        .contains("Removed people may no longer request prod", "1 left to decide.");
    assertThat(refused.exitCode()).isEqualTo(CliException.REFUSED);
    assertThat(refused.err()).contains(id);
    assertThat(request("bob", "prod").exitCode()).as("bob was kept").isZero();
    assertThat(csv.exitCode()).as(csv.err()).isZero();
    assertThat(csv.out().lines().findFirst().orElse(""))
        .isEqualTo(
            "issuer,subject,email,eligible_by,grants,last_minted,calls,unused_grants,unused_unseen,"
                + "suggestion,decision,decided_by,decided_at,comment");
    assertThat(csv.out()).contains(",alice,alice@example.com,", "moved to sales");
    assertThat(restored.exitCode()).as(restored.err()).isZero();
    assertThat(restored.out())
        .contains("restored alice (" + idp.issuer() + ") to prod: suspended by review " + id)
        .contains("Next: they may request it again: stint request prod");
    assertThat(requested.exitCode()).as("alice may request again: " + requested.err()).isZero();
    assertThat(nothing.exitCode()).isEqualTo(CliException.REFUSED);
    assertThat(nothing.err()).contains("(not_found");
  }

  @Test
  void aReviewersDecisionOnTheirOwnItemIsRefusedWithTheServersMessageAndChangesNothing() {
    String id = opened("ops");

    CliRun own = as("carol", "access-review", "decide", id, "--keep", "carol@example.com");
    CliRun notReviewer = as("alice", "access-review", "decide", id, "--remove", "bob");
    CliRun after = as("carol", "access-review", "show", id);

    assertThat(own.exitCode()).isEqualTo(CliException.REFUSED);
    assertThat(own.out()).isEmpty();
    assertThat(own.err()).startsWith("stint: ").contains("own", "(forbidden");
    assertThat(notReviewer.exitCode()).isEqualTo(CliException.REFUSED);
    assertThat(notReviewer.err()).contains("(not_found");
    assertThat(after.out()).contains("0/3", "3 to decide.");
  }
}
