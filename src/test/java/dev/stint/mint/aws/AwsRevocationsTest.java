package dev.stint.mint.aws;

import static dev.stint.mint.aws.AwsMinterTest.FAST_CALLS;
import static dev.stint.mint.aws.AwsMinterTest.STINT_IDENTITY;
import static dev.stint.mint.aws.AwsMinterTest.failure;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stint.error.ErrorCode;
import dev.stint.mint.MintException;
import dev.stint.mint.aws.AwsRevocations.Written;
import dev.stint.testing.DenyEvaluator;
import dev.stint.testing.DenyEvaluator.Session;
import dev.stint.testing.FakeAwsEndpoint.Call;
import dev.stint.testing.FakeIam;
import dev.stint.testing.FakeSts;
import dev.stint.testing.Patience;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.exception.SdkClientException;

/** The real SDK IAM client against a stateful local IAM that keeps IAM's size limit. */
class AwsRevocationsTest {
  private static final String ROLE = "arn:aws:iam::111122223333:role/teams/prod-admin";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Instant now = Instant.parse("2026-11-23T10:00:00Z");
  private final FakeSts sts = new FakeSts();
  private final FakeIam iam = new FakeIam().createRole("prod-admin").signedBy(sts);
  private final Vertx vertx = Vertx.vertx();
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private AwsClients clients;
  private AwsRevocations revocations;

  @BeforeEach
  void start() {
    clients =
        new AwsClients(
            vertx,
            new AwsSettings(
                Optional.of("eu-west-1"),
                Optional.of(sts.uri()),
                Optional.of(iam.uri()),
                AwsSettings.DEFAULT_SIGNIN,
                FAST_CALLS),
            STINT_IDENTITY,
            2);
    // The inline policy alone: its limit is what these tests hold it to; the managed policies it
    // spills into are AwsRevocationCapacityTest's.
    revocations = new AwsRevocations(clients, executor, Clock.fixed(now, ZoneOffset.UTC), 0);
  }

  @AfterEach
  void stop() {
    clients.close();
    iam.close();
    sts.close();
    executor.shutdownNow();
    vertx.close();
  }

  private static RoleDenies.Denied grant(int i) {
    String id = "grt_abcdefghijklmnopqrst" + String.format("%04d", i);
    return new RoleDenies.Denied(
        id, SourceIdentities.of("https://login.example.com/t", "person" + i, id));
  }

  private static RoleDenies denies(RoleDenies.Denied... grants) {
    return new RoleDenies(ROLE, List.of(grants), Optional.empty());
  }

  private Written write(RoleDenies denies) throws Exception {
    return revocations.write(denies).get(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }

  private String document() {
    return iam.policy("prod-admin", "stint-revocations").orElseThrow();
  }

  private JsonNode statements() throws Exception {
    return JSON.readTree(document()).path("Statement");
  }

  private static Session session(RoleDenies.Denied g, Instant issued) {
    return new Session(Map.of("stint:grant", g.grantId()), Optional.of(g.sourceIdentity()), issued);
  }

  @Test
  void theFirstRevocationWritesOneStatementOfSourceIdentities() throws Exception {
    Written written = write(denies(new RoleDenies.Denied("g-1", "0123456789abcdef.g-1")));

    assertThat(iam.calls())
        .extracting(c -> c.param("Action"))
        .containsExactly("GetRolePolicy", "PutRolePolicy", "GetRolePolicy");
    Call put = iam.onlyCall("PutRolePolicy");
    assertThat(put.param("RoleName")).isEqualTo("prod-admin");
    assertThat(put.param("PolicyName")).isEqualTo("stint-revocations");
    assertThat(put.param("PolicyDocument"))
        .isEqualTo(
            "{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Sid\":\"StintGrantSources\",\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\","
                + "\"Condition\":{\"StringLike\":{\"aws:SourceIdentity\":[\"0123456789abcdef.g-1\"]}}}]}");
    assertThat(put.headers().get("Authorization").get(0)).contains("/us-east-1/iam/aws4_request");
    assertThat(written).isInstanceOf(Written.Applied.class);
  }

  @Test
  void theWholeSetReplacesStintsStatementsAndKeepsEveryoneElses() throws Exception {
    String foreign =
        "{\"Sid\":\"OperatorNote\",\"Effect\":\"Deny\",\"Action\":\"s3:DeleteBucket\","
            + "\"Resource\":\"*\"}";
    iam.putPolicy(
        "prod-admin",
        "stint-revocations",
        "{\"Version\":\"2012-10-17\",\"Statement\":[" + foreign + "]}");
    write(denies(grant(1), grant(2)));

    write(denies(grant(2), grant(3)));

    assertThat(statements())
        .extracting(s -> s.path("Sid").asText())
        .containsExactly("OperatorNote", "StintGrantSources");
    assertThat(statements().get(0)).isEqualTo(JSON.readTree(foreign));
    assertThat(statements().get(1).at("/Condition/StringLike/aws:SourceIdentity"))
        .extracting(JsonNode::asText)
        .containsExactly("*." + grant(2).grantId(), "*." + grant(3).grantId());
    assertThat(DenyEvaluator.denies(document(), session(grant(1), now), now)).isFalse();
    assertThat(DenyEvaluator.denies(document(), session(grant(3), now), now)).isTrue();
  }

  @Test
  void theSameDeniesAgainAreNotWrittenAgain() throws Exception {
    write(denies(grant(1), grant(2)));
    int before = iam.calls().size();

    Written again = write(denies(grant(1), grant(2)));

    assertThat(again).isInstanceOf(Written.Applied.class);
    assertThat(iam.calls().subList(before, iam.calls().size()))
        .extracting(c -> c.param("Action"))
        .containsExactly("GetRolePolicy");
  }

  @Test
  void aChainedSessionWithoutTheTagIsDeniedByItsSourceIdentity() throws Exception {
    write(denies(grant(1)));

    Session chained = new Session(Map.of(), Optional.of(grant(1).sourceIdentity()), now);
    assertThat(DenyEvaluator.denies(document(), chained, now)).isTrue();
  }

  @Test
  void aGrantWhoseOwnSessionsExpiredStaysDeniedByItsSourceIdentityForChainedOnes()
      throws Exception {
    RoleDenies.Denied expired =
        new RoleDenies.Denied(grant(1).grantId(), grant(1).sourceIdentity(), false);

    write(new RoleDenies(ROLE, List.of(expired, grant(2)), Optional.empty()));

    assertThat(statements().get(0).at("/Condition/StringLike/aws:SourceIdentity"))
        .extracting(JsonNode::asText)
        .containsExactly("*." + grant(1).grantId(), "*." + grant(2).grantId());
    Session chained = new Session(Map.of(), Optional.of(grant(1).sourceIdentity()), now);
    assertThat(DenyEvaluator.denies(document(), chained, now)).isTrue();
  }

  @Test
  void earlierPerHourStatementsStayUntilTheirEndUnlessACutoffOutlastsThem() throws Exception {
    long live = now.plus(Duration.ofHours(3)).getEpochSecond();
    long gone = now.minusSeconds(1).getEpochSecond();
    iam.putPolicy(
        "prod-admin",
        "stint-revocations",
        "{\"Version\":\"2012-10-17\",\"Statement\":["
            + earlier(gone, "g-old")
            + ","
            + earlier(live, "g-live")
            + "]}");

    write(denies(grant(1)));
    assertThat(statements())
        .extracting(s -> s.path("Sid").asText())
        .containsExactly("StintU" + live + "T", "StintGrantSources");

    write(
        new RoleDenies(
            ROLE,
            List.of(),
            Optional.of(new RoleDenies.Cutoff(now, now.plus(Duration.ofHours(4))))));
    assertThat(statements())
        .extracting(s -> s.path("Sid").asText())
        .containsExactly("StintBeforeTags", "StintBeforeSources");
  }

  @Test
  void aCutoffDeniesEveryStintSessionIssuedBeforeItAndNoneAfter() throws Exception {
    Instant cutoff = now.plusSeconds(10);
    write(
        new RoleDenies(
            ROLE,
            List.of(grant(9)),
            Optional.of(new RoleDenies.Cutoff(cutoff, now.plus(Duration.ofHours(1))))));

    Instant later = now.plus(Duration.ofMinutes(5));
    assertThat(DenyEvaluator.denies(document(), session(grant(1), now.minusSeconds(60)), later))
        .as("a stint session issued before the cutoff")
        .isTrue();
    assertThat(
            DenyEvaluator.denies(
                document(),
                new Session(Map.of(), Optional.of(grant(1).sourceIdentity()), now),
                later))
        .as("a session chained from one")
        .isTrue();
    assertThat(DenyEvaluator.denies(document(), session(grant(1), cutoff.plusSeconds(1)), later))
        .as("a fresh session after the cutoff")
        .isFalse();
    assertThat(DenyEvaluator.denies(document(), session(grant(9), cutoff.plusSeconds(1)), later))
        .as("a revoked grant's session after the cutoff")
        .isTrue();
    assertThat(
            DenyEvaluator.denies(
                document(),
                new Session(Map.of(), Optional.of("someone-else"), now.minusSeconds(60)),
                later))
        .as("a session of the role that stint did not mint")
        .isFalse();
    assertThat(
            DenyEvaluator.denies(
                document(),
                new Session(Map.of(), Optional.of("christopher12345.smith"), now.minusSeconds(60)),
                later))
        .as("a source identity another tool set, shaped almost like stint's")
        .isFalse();
  }

  @Test
  void twoHundredAndFiftyRevokedGrantsFitInTheInlineLimit() throws Exception {
    List<RoleDenies.Denied> many = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      many.add(grant(i));
    }

    Written written = write(new RoleDenies(ROLE, many, Optional.empty()));

    assertThat(written).isInstanceOf(Written.Applied.class);
    assertThat(statements()).hasSize(1);
    assertThat(((Written.Applied) written).characters()).isLessThanOrEqualTo(10_240);
  }

  /**
   * How many revoked grants one role's inline policy holds, with real grant ids and source
   * identities and no other inline policy on the role (docs/clouds.md reports it): one entry of 33
   * characters each, where the tag and source identity pair of earlier releases held 127.
   */
  @Test
  void theInlinePolicyAloneHoldsTheDeniesOfAboutThreeHundredGrants() {
    int fit = 0;
    List<RoleDenies.Denied> many = new ArrayList<>();
    while (true) {
      many.add(grant(many.size()));
      int size =
          RevocationPolicy.render(
                  Optional.empty(), new RoleDenies(ROLE, many, Optional.empty()), now)
              .characters();
      if (size > RevocationPolicy.MAX_CHARS) {
        break;
      }
      fit = many.size();
    }
    System.out.println("revoked grants one role's inline policy holds: " + fit);
    assertThat(fit).isBetween(290, 320);
  }

  @Test
  void tooManyForIamsLimitIsAnAnswerAndNothingIsSent() throws Exception {
    List<RoleDenies.Denied> many = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      many.add(grant(i));
    }

    Written written = write(new RoleDenies(ROLE, many, Optional.empty()));

    assertThat(written)
        .isInstanceOfSatisfying(
            Written.TooLarge.class,
            w -> {
              assertThat(w.byIam()).isFalse();
              assertThat(w.characters()).as("what did not fit").isPositive();
            });
    assertThat(iam.calls()).extracting(c -> c.param("Action")).containsExactly("GetRolePolicy");
  }

  @Test
  void aRoleTooFullSaysHowLongItsEarlierStatementsStillNeedToLast() throws Exception {
    long end = now.plus(Duration.ofHours(5)).getEpochSecond();
    iam.putPolicy(
        "prod-admin",
        "stint-revocations",
        "{\"Version\":\"2012-10-17\",\"Statement\":[" + earlier(end, "g-old") + "]}");
    List<RoleDenies.Denied> many = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      many.add(grant(i));
    }

    Written written = write(new RoleDenies(ROLE, many, Optional.empty()));

    assertThat(written)
        .isInstanceOfSatisfying(
            Written.TooLarge.class,
            w -> assertThat(w.latestEarlier()).contains(Instant.ofEpochSecond(end)));
  }

  /**
   * IAM takes a role's inline policies up to its limit inclusive: a deny that reaches the limit
   * exactly is written, and one a character longer is answered too large without being sent.
   */
  @ParameterizedTest
  @ValueSource(ints = {0, 1})
  void aDenyOfExactlyIamsLimitIsWrittenAndOneCharacterMoreIsNot(int over) throws Exception {
    RoleDenies one = denies(grant(1));
    int base = RevocationPolicy.render(Optional.of(othersStatement(0)), one, now).characters();
    iam.putPolicy(
        "prod-admin",
        "stint-revocations",
        othersStatement(RevocationPolicy.MAX_CHARS - base + over));

    Written written = write(one);

    if (over == 0) {
      assertThat(written)
          .isInstanceOfSatisfying(
              Written.Applied.class,
              w -> assertThat(w.characters()).isEqualTo(RevocationPolicy.MAX_CHARS));
      assertThat(statements())
          .extracting(s -> s.path("Sid").asText())
          .containsExactly("Operators", "StintGrantSources");
    } else {
      assertThat(written)
          .isInstanceOfSatisfying(
              Written.TooLarge.class,
              w -> {
                assertThat(w.byIam()).isFalse();
                assertThat(w.characters()).as("what did not fit").isPositive();
              });
      assertThat(iam.calls()).extracting(c -> c.param("Action")).doesNotContain("PutRolePolicy");
    }
  }

  /** A revocation policy holding only another writer's statement, padded by {@code pad}. */
  private static String othersStatement(int pad) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Operators\",\"Effect\":"
        + "\"Deny\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::"
        + "x".repeat(pad)
        + "\"}]}";
  }

  @Test
  void theRolesOtherInlinePoliciesCountAndIamsRefusalIsTooLarge() throws Exception {
    iam.putPolicy(
        "prod-admin",
        "operators",
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":"
            + "\"Pad\",\"Effect\":\"Deny\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::"
            + "x".repeat(9_800)
            + "\"}]}");

    Written written = write(denies(grant(1), grant(2), grant(3), grant(4), grant(5)));

    assertThat(written)
        .isInstanceOfSatisfying(Written.TooLarge.class, w -> assertThat(w.byIam()).isTrue());
    assertThat(iam.policy("prod-admin", "stint-revocations")).isEmpty();
  }

  @Test
  void concurrentWritesOnOneRoleAllLand() throws Exception {
    List<CompletableFuture<Written>> all = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      List<RoleDenies.Denied> upTo = new ArrayList<>();
      for (int j = 0; j <= i; j++) {
        upTo.add(grant(j));
      }
      all.add(revocations.write(new RoleDenies(ROLE, upTo, Optional.empty())));
    }
    CompletableFuture.allOf(all.toArray(new CompletableFuture[0]))
        .get(Patience.seconds(20), TimeUnit.MILLISECONDS);

    assertThat(all).allSatisfy(w -> assertThat(w.get()).isInstanceOf(Written.Applied.class));
  }

  @Test
  void throttlingAndConflictsAreRetried() throws Exception {
    iam.failNext(FakeIam.Failure.THROTTLING, FakeIam.Failure.CONCURRENT_MODIFICATION);

    write(denies(grant(1)));

    assertThat(iam.policy("prod-admin", "stint-revocations")).isPresent();
  }

  @Test
  void aWriterThatKeepsReplacingThePolicyFailsRetryably() {
    iam.afterPut(
        () ->
            iam.putPolicy(
                "prod-admin",
                "stint-revocations",
                "{\"Version\":\"2012-10-17\",\"Statement\":[]}"));

    MintException e = failure(revocations.write(denies(grant(1))));

    assertThat(e.retryable()).isTrue();
    assertThat(e.detail())
        .isEqualTo(
            "could not write the AWS revocation denies on role prod-admin:"
                + " another writer kept replacing the revocation policy");
    assertThat(iam.calls().stream().filter(c -> "PutRolePolicy".equals(c.param("Action"))))
        .hasSize(AwsRevocations.ATTEMPTS);
  }

  /**
   * The read-back checks how far back the cutoff reaches, not only that it is there: a cutoff of an
   * earlier time left in place (another writer's, or a write IAM lost) spares every session issued
   * between that time and ours, so it is not taken for the deny just written.
   */
  @ParameterizedTest
  @ValueSource(strings = {RevocationPolicy.BEFORE_TAGS, RevocationPolicy.BEFORE_SOURCES})
  void aCutoffReadBackWithAnEarlierTimeIsNotTakenForTheOneWritten(String sid) throws Exception {
    Instant hourAgo = now.minus(Duration.ofHours(1));
    RoleDenies cutoff =
        new RoleDenies(
            ROLE,
            List.of(),
            Optional.of(new RoleDenies.Cutoff(now, now.plus(Duration.ofHours(4)))));
    ObjectNode earlier =
        (ObjectNode)
            JSON.readTree(RevocationPolicy.render(Optional.empty(), cutoff, now).document());
    for (JsonNode statement : earlier.path("Statement")) {
      if (sid.equals(statement.path("Sid").asText())) {
        ((ObjectNode) statement.path("Condition").path("DateLessThan"))
            .put(RevocationPolicy.ISSUED_KEY, hourAgo.toString());
      }
    }
    iam.afterPut(() -> iam.putPolicy("prod-admin", "stint-revocations", earlier.toString()));

    MintException e = failure(revocations.write(cutoff));

    assertThat(e.retryable()).isTrue();
    assertThat(e.detail()).endsWith(": another writer kept replacing the revocation policy");
    assertThat(iam.calls().stream().filter(c -> "PutRolePolicy".equals(c.param("Action"))))
        .as("written again after each read-back")
        .hasSize(AwsRevocations.ATTEMPTS);
  }

  @Test
  void refusedPermissionsFailWithoutLeakingTheArn() {
    iam.failNext(FakeIam.Failure.ACCESS_DENIED);

    MintException e = failure(revocations.write(denies(grant(1))));

    assertThat(e.retryable()).isFalse();
    assertThat(e.detail())
        .isEqualTo(
            "could not write the AWS revocation denies on role prod-admin:"
                + " AWS refused the change (stint needs "
                + AwsRevocations.PERMISSIONS
                + ")")
        .doesNotContain("111122223333");
  }

  @Test
  void withoutItsOwnAwsCredentialsStintSaysSo() {
    AwsClients keyless =
        new AwsClients(
            vertx,
            new AwsSettings(
                Optional.of("eu-west-1"),
                Optional.of(sts.uri()),
                Optional.of(iam.uri()),
                AwsSettings.DEFAULT_SIGNIN,
                FAST_CALLS),
            () -> {
              throw SdkClientException.create(
                  "Unable to load credentials from any of the providers in the chain");
            },
            2);
    try {
      MintException e =
          failure(
              new AwsRevocations(keyless, executor, Clock.fixed(now, ZoneOffset.UTC))
                  .write(denies(grant(1))));

      assertThat(e.retryable()).isFalse();
      assertThat(e.detail())
          .isEqualTo(
              "could not write the AWS revocation denies on role"
                  + " prod-admin: stint has no AWS credentials of its own (the SDK's default credential"
                  + " chain found none)");
      assertThat(iam.calls()).isEmpty();
    } finally {
      keyless.close();
    }
  }

  @Test
  void anOutageFailsRetryably() {
    for (int i = 0; i < FAST_CALLS.maxAttempts(); i++) {
      iam.failNext(FakeIam.Failure.SERVER_ERROR);
    }

    MintException e = failure(revocations.write(denies(grant(1))));

    assertThat(e.retryable()).isTrue();
    assertThat(e.code()).isEqualTo(ErrorCode.UPSTREAM_UNAVAILABLE);
    assertThat(iam.policy("prod-admin", "stint-revocations")).isEmpty();
  }

  @Test
  void aMissingRoleIsReported() {
    MintException e =
        failure(
            revocations.write(
                new RoleDenies(
                    "arn:aws:iam::111122223333:role/nope", List.of(grant(1)), Optional.empty())));

    assertThat(e.retryable()).isFalse();
    assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL);
    assertThat(e.detail()).endsWith(": the role does not exist");
  }

  @Test
  void aDocumentThatIsNotAPolicyIsNotOverwritten() {
    iam.putPolicy("prod-admin", "stint-revocations", "{\"Version\":\"2012-10-17\"}");

    MintException e = failure(revocations.write(denies(grant(1))));

    assertThat(e.detail()).contains("is not a policy document");
    assertThat(iam.calls()).extracting(c -> c.param("Action")).isEqualTo(List.of("GetRolePolicy"));
  }

  /** A statement of the earlier per-hour form, ending at {@code end} (epoch seconds). */
  private static String earlier(long end, String grant) {
    return "{\"Sid\":\"StintU"
        + end
        + "T\",\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\","
        + "\"Condition\":{\"StringEquals\":{\"aws:PrincipalTag/stint:grant\":[\""
        + grant
        + "\"]}}}";
  }

  @Test
  void anArnThatIsNotARolesIsRefusedWithoutACallAndNamedAsSuch() {
    RoleDenies user =
        new RoleDenies("arn:aws:iam::111122223333:user/alice", List.of(grant(1)), Optional.empty());

    MintException e = failure(revocations.write(user));

    assertThat(e.retryable()).as("an operator must fix the profile").isFalse();
    assertThat(e.detail())
        .isEqualTo(
            "could not write the AWS revocation denies on role (not a role ARN):"
                + " the role ARN is not an IAM role ARN");
    assertThat(iam.calls()).isEmpty();
  }
}
