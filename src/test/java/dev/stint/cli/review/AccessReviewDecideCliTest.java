package dev.stint.cli.review;

import static dev.stint.cli.review.AccessReviewCliTest.itemsSent;
import static dev.stint.cli.review.ReviewApiStandIn.IDP;
import static dev.stint.cli.review.ReviewApiStandIn.PARTNERS;
import static dev.stint.cli.review.ReviewApiStandIn.REVIEW;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.cli.CliException;
import dev.stint.testing.CliRun;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stint access-review decide} against {@link ReviewApiStandIn}: each PERSON resolved against
 * the review read once, one POST of every decision with the issuer and subject resolved, what is
 * printed (what was decided, what a removal does, how many are left, the next step), and every
 * refusal made before the POST.
 */
class AccessReviewDecideCliTest {
  @TempDir Path home;
  ReviewApiStandIn api;

  @BeforeEach
  void start() throws Exception {
    api = new ReviewApiStandIn(AccessReviewCliTest.TOKEN);
  }

  @AfterEach
  void stop() throws Exception {
    api.close();
  }

  CliRun stint(String... args) {
    return AccessReviewCliTest.stint(home, api, args);
  }

  static JsonObject item(String issuer, String subject, String decision) {
    return new JsonObject().put("issuer", issuer).put("subject", subject).put("decision", decision);
  }

  @Test
  void eachPersonIsResolvedOnceAndAllAreSentInOnePost() {
    CliRun run =
        stint(
            "access-review",
            "decide",
            REVIEW,
            "--remove",
            "u-bob",
            "--keep",
            "ALICE@example.COM",
            "--remove",
            PARTNERS + "#u-carol",
            "--comment",
            "quarterly review");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(api.received())
        .extracting(r -> r.method() + " " + r.path())
        .containsExactly(
            "GET /v1/access-reviews/" + REVIEW, "POST /v1/access-reviews/" + REVIEW + "/decisions");
    assertThat(api.received().get(1).authorization())
        .isEqualTo("Bearer " + AccessReviewCliTest.TOKEN);
    assertThat(itemsSent(api))
        .isEqualTo(
            new JsonArray()
                .add(item(IDP, "u-alice", "keep").put("comment", "quarterly review"))
                .add(item(IDP, "u-bob", "remove").put("comment", "quarterly review"))
                .add(item(PARTNERS, "u-carol", "remove").put("comment", "quarterly review")));
    assertThat(run.out())
        .isEqualTo(
            "decided 3 in review "
                + REVIEW
                + ":\n"
                + "  keep   alice@example.com\n"
                + "  remove Bob@Example.com\n"
                + "  remove "
                + PARTNERS
                + "#u-carol\n"
                + "Removed people may no longer request prod-admin; their live grants of it are"
                + " revoked. An admin undoes it: stint access-review restore prod-admin"
                + " --issuer URL --subject SUB\n"
                + "1 left to decide.\n"
                + "Next: stint access-review show "
                + REVIEW
                + "\n");
  }

  @Test
  void followSuggestionsDecidesEveryUndecidedPersonAndAnExplicitFlagWins() {
    CliRun run =
        stint("access-review", "decide", REVIEW, "--follow-suggestions", "--keep", "u-bob");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(itemsSent(api))
        .as("u-dave, decided already, is not sent; u-bob is kept against the suggestion")
        .isEqualTo(
            new JsonArray()
                .add(item(IDP, "u-alice", "keep"))
                .add(item(IDP, "u-bob", "keep"))
                .add(item(IDP, "u-carol", "keep"))
                .add(item(PARTNERS, "u-carol", "remove")));
    assertThat(run.out())
        .contains(
            "decided 4 in review " + REVIEW + ":\n",
            "  keep   alice@example.com  (as suggested)\n",
            "  keep   Bob@Example.com\n",
            "  keep   " + IDP + "#u-carol  (as suggested)\n",
            "  remove " + PARTNERS + "#u-carol  (as suggested)\n",
            "Removed people may no longer request prod-admin")
        .endsWith(
            "Everyone is decided; the review is closed\n"
                + "Next: stint access-review show "
                + REVIEW
                + " --export csv > "
                + REVIEW
                + ".csv for the record\n");
  }

  @Test
  void withOnlyKeepsNothingIsSaidOfRemovals() {
    CliRun run = stint("access-review", "decide", REVIEW, "--keep", "alice@example.com");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(itemsSent(api)).isEqualTo(new JsonArray().add(item(IDP, "u-alice", "keep")));
    assertThat(run.out()).doesNotContain("Removed").contains("3 left to decide.\n");
  }

  @Test
  void anUnknownPersonIsRefusedBeforeAnyDecisionIsSent() {
    CliRun run =
        stint("access-review", "decide", REVIEW, "--keep", "u-alice", "--remove", "mallory");

    assertThat(run.exitCode()).isEqualTo(CliException.USAGE);
    assertThat(run.err())
        .isEqualTo(
            "stint: no one in review "
                + REVIEW
                + " is 'mallory': give an email, a subject or ISSUER#SUBJECT as"
                + " 'stint access-review show "
                + REVIEW
                + "' lists them; nothing was sent\n");
    assertThat(run.out()).isEmpty();
    assertThat(api.received()).extracting(r -> r.method()).containsExactly("GET");
  }

  @Test
  void aMistypedPersonIsRefusedWithTheNearestName() {
    CliRun run = stint("access-review", "decide", REVIEW, "--keep", "alcie@example.com");

    assertThat(run.exitCode()).isEqualTo(CliException.USAGE);
    assertThat(run.err())
        .startsWith(
            "stint: no one in review "
                + REVIEW
                + " is 'alcie@example.com' (did you mean alice@example.com?): give");
    assertThat(api.received()).extracting(r -> r.method()).containsExactly("GET");
  }

  @Test
  void anEmailOrASubjectOfTwoPeopleIsRefusedWithEachOfThem() {
    CliRun email = stint("access-review", "decide", REVIEW, "--remove", "Carol@Example.com");
    CliRun subject = stint("access-review", "decide", REVIEW, "--keep", "u-carol");

    for (CliRun run : new CliRun[] {email, subject}) {
      assertThat(run.exitCode()).isEqualTo(CliException.USAGE);
      assertThat(run.err())
          .endsWith(
              " names 2 people in review "
                  + REVIEW
                  + ": "
                  + IDP
                  + "#u-carol, "
                  + PARTNERS
                  + "#u-carol; give one of them as ISSUER#SUBJECT; nothing was sent\n");
    }
    assertThat(email.err()).startsWith("stint: 'Carol@Example.com' names 2 people");
    assertThat(api.received()).extracting(r -> r.method()).containsExactly("GET", "GET");
  }

  @Test
  void nothingToDecideIsRefusedBeforeTheReviewIsRead() {
    CliRun run = stint("access-review", "decide", REVIEW);

    assertThat(run.exitCode()).isEqualTo(CliException.USAGE);
    assertThat(run.err())
        .isEqualTo(
            "stint: nothing to decide: give --keep PERSON, --remove PERSON or"
                + " --follow-suggestions\n");
    assertThat(api.received()).isEmpty();
  }

  @Test
  void followingSuggestionsWithEveryoneDecidedSendsNothing() {
    api.keepOpen();
    assertThat(stint("access-review", "decide", REVIEW, "--follow-suggestions").exitCode())
        .isZero();
    int sent = api.received().size();

    CliRun again = stint("access-review", "decide", REVIEW, "--follow-suggestions");

    assertThat(again.exitCode()).isEqualTo(CliException.USAGE);
    assertThat(again.err())
        .isEqualTo(
            "stint: nothing to decide: everyone in review " + REVIEW + " is decided already\n");
    assertThat(api.received()).hasSize(sent + 1);
    assertThat(api.received().get(sent).method()).isEqualTo("GET");
  }

  @Test
  void aClosedReviewIsRefusedBeforeAnyDecisionIsSent() {
    assertThat(stint("access-review", "decide", REVIEW, "--follow-suggestions").exitCode())
        .isZero();
    int sent = api.received().size();

    CliRun run = stint("access-review", "decide", REVIEW, "--keep", "u-alice");

    assertThat(run.exitCode()).isEqualTo(CliException.REFUSED);
    assertThat(run.err())
        .isEqualTo("stint: review " + REVIEW + " is closed: nothing can be decided in it\n");
    assertThat(api.received()).hasSize(sent + 1);
  }

  @Test
  void aPersonDecidedAlreadyIsRefusedBeforeAnyDecisionIsSent() {
    CliRun run =
        stint("access-review", "decide", REVIEW, "--keep", "u-alice", "--remove", "u-dave");

    assertThat(run.exitCode()).isEqualTo(CliException.REFUSED);
    assertThat(run.err())
        .isEqualTo(
            "stint: u-dave is decided already (keep): a decision is not changed; nothing was"
                + " sent\n");
    assertThat(api.received()).extracting(r -> r.method()).containsExactly("GET");
  }

  @Test
  void onePersonBothKeptAndRemovedIsRefused() {
    CliRun run =
        stint(
            "access-review",
            "decide",
            REVIEW,
            "--keep",
            "bob@example.com",
            "--remove",
            IDP + "#u-bob");

    assertThat(run.exitCode()).isEqualTo(CliException.USAGE);
    assertThat(run.err())
        .isEqualTo(
            "stint: Bob@Example.com is both --keep and --remove: choose one; nothing was sent\n");
    assertThat(api.received()).extracting(r -> r.method()).containsExactly("GET");
  }

  @Test
  void theServersRefusalOfTheDecisionsIsPrintedAsItsDetail() {
    api.refuse(
        "POST",
        "/v1/access-reviews/" + REVIEW + "/decisions",
        403,
        "forbidden",
        "item 0 (u-alice): you may not decide your own access");

    CliRun run = stint("access-review", "decide", REVIEW, "--keep", "u-alice");

    assertThat(run.exitCode()).isEqualTo(CliException.REFUSED);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .isEqualTo(
            "stint: item 0 (u-alice): you may not decide your own access"
                + " (forbidden, trace trace-1)\n");
  }
}
