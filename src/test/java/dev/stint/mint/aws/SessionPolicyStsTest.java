package dev.stint.mint.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.cloud.AwsTarget;
import dev.stint.common.AwsSessionPolicy;
import dev.stint.common.FilledDocument;
import dev.stint.common.ParameterPatterns;
import dev.stint.common.ParameterValues;
import dev.stint.common.SourceNetworks;
import dev.stint.error.ErrorCode;
import dev.stint.mint.IssuedUnder;
import dev.stint.mint.MintException;
import dev.stint.mint.MintOrder;
import dev.stint.testing.FakeAwsEndpoint.Call;
import dev.stint.testing.FakeSts;
import dev.stint.testing.Patience;
import dev.stint.testing.TestJwtSigner;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The exact session policy STS receives for {@code source_cidrs}, an inline narrowing policy and
 * managed policy ARNs: always one document, always with the {@code aws:CurrentTime} cap.
 */
class SessionPolicyStsTest {
  static final String ROLE = "arn:aws:iam::111122223333:role/prod";
  static final String HEAD = "{\"Version\":\"2012-10-17\",\"Statement\":[";
  static final String ALLOW_ALL = "{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"},";
  static final String READ =
      "[{\"Effect\":\"Allow\",\"Action\":[\"s3:Get*\",\"s3:List*\"],"
          + "\"Resource\":\"*\"},{\"Effect\":\"Deny\",\"Action\":\"s3:GetObject\","
          + "\"Resource\":\"arn:aws:s3:::secrets/*\"}]";
  static final String IP_DENY =
      ",{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\","
          + "\"Condition\":{\"NotIpAddress\":{\"aws:SourceIp\":[\"10.0.0.0/8\",\"203.0.113.7/32\"]},"
          + "\"Bool\":{\"aws:ViaAWSService\":\"false\"}}}";

  private final Instant now = Instant.parse("2026-11-23T09:00:00Z");
  private final Instant grantEnds = Instant.parse("2026-11-23T10:30:00Z");
  private final Clock clock = Clock.fixed(now, ZoneOffset.UTC);
  private final TestJwtSigner tokens = new TestJwtSigner(clock);
  private final FakeSts sts = new FakeSts(clock).trust(tokens.awsProvider());
  private final Vertx vertx = Vertx.vertx();
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private final AwsClients clients =
      new AwsClients(
          vertx,
          new AwsSettings(
              Optional.of("eu-west-1"),
              Optional.of(sts.uri()),
              Optional.empty(),
              AwsSettings.DEFAULT_SIGNIN,
              AwsMinterTest.FAST_CALLS),
          AwsMinterTest.STINT_IDENTITY,
          4);
  private final AwsMinter minter = new AwsMinter(clients, tokens, executor, clock);

  @AfterEach
  void stop() {
    clients.close();
    sts.close();
    executor.shutdownNow();
    vertx.close();
  }

  private String timeDeny() {
    return "{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":"
        + "{\"DateGreaterThan\":{\"aws:CurrentTime\":\""
        + grantEnds
        + "\"}}}";
  }

  private Call mint(AwsTarget.Mode mode, AwsSessionPolicy policy) throws Exception {
    minter
        .mint(
            new AwsTarget(ROLE, mode, Optional.empty(), policy.narrowing(), policy.policyArns()),
            new MintOrder(
                "prod",
                policy.sources(),
                new IssuedUnder.Grant("g-1"),
                "jane@example.com",
                "https://idp.example.com",
                "jane",
                Duration.ofHours(1),
                grantEnds,
                ParameterValues.NONE,
                Optional.empty()))
        .get(Patience.seconds(10), TimeUnit.MILLISECONDS);
    return sts.onlyCall(
        mode == AwsTarget.Mode.ASSUME_ROLE ? "AssumeRole" : "AssumeRoleWithWebIdentity");
  }

  @Test
  void sourceCidrsAddADenyOutsideTheNetworksNextToTheTimeCap() throws Exception {
    var policy =
        new AwsSessionPolicy(
            SourceNetworks.parse(List.of("10.0.0.0/8", "203.0.113.7/32")),
            Optional.empty(),
            List.of());
    Call call = mint(AwsTarget.Mode.ASSUME_ROLE, policy);
    assertThat(call.param("Policy")).isEqualTo(HEAD + ALLOW_ALL + timeDeny() + IP_DENY + "]}");
    assertThat(call.params()).doesNotContainKey("PolicyArns.member.1.arn");
  }

  @Test
  void anInlineNarrowingPolicyReplacesTheBroadAllow() throws Exception {
    var policy = new AwsSessionPolicy(SourceNetworks.ANY, Optional.of(READ), List.of());
    Call call = mint(AwsTarget.Mode.WEB_IDENTITY, policy);
    assertThat(call.param("Policy"))
        .isEqualTo(HEAD + READ.substring(1, READ.length() - 1) + "," + timeDeny() + "]}");
  }

  @Test
  void narrowingSourceCidrsAndTheTimeCapAreOneDocument() throws Exception {
    var policy =
        new AwsSessionPolicy(
            SourceNetworks.parse(List.of("10.0.0.0/8", "203.0.113.7/32")),
            Optional.of(READ),
            List.of("arn:aws:iam::aws:policy/ReadOnlyAccess"));
    Call call = mint(AwsTarget.Mode.ASSUME_ROLE, policy);
    assertThat(call.param("Policy"))
        .isEqualTo(HEAD + READ.substring(1, READ.length() - 1) + "," + timeDeny() + IP_DENY + "]}");
    assertThat(call.param("PolicyArns.member.1.arn"))
        .isEqualTo("arn:aws:iam::aws:policy/ReadOnlyAccess");
    assertThat(call.params()).doesNotContainKey("PolicyArns.member.2.arn");
  }

  @Test
  void withOnlyManagedPoliciesTheInlineDocumentAllowsNothingItself() throws Exception {
    // AWS unions the inline document with the managed session policies: an Allow * here would
    // undo the narrowing, so the document keeps only the denies.
    var policy =
        new AwsSessionPolicy(
            SourceNetworks.ANY,
            Optional.empty(),
            List.of(
                "arn:aws:iam::111122223333:policy/read-only",
                "arn:aws:iam::aws:policy/ReadOnlyAccess"));
    Call call = mint(AwsTarget.Mode.WEB_IDENTITY, policy);
    assertThat(call.param("Policy"))
        .isEqualTo(HEAD + timeDeny() + "]}")
        .doesNotContain("\"Effect\":\"Allow\"");
    assertThat(call.param("PolicyArns.member.1.arn"))
        .isEqualTo("arn:aws:iam::111122223333:policy/read-only");
    assertThat(call.param("PolicyArns.member.2.arn"))
        .isEqualTo("arn:aws:iam::aws:policy/ReadOnlyAccess");
  }

  @Test
  void theSizeCountsTheWholeDocumentAndTheArns() {
    var policy =
        new AwsSessionPolicy(
            SourceNetworks.parse(List.of("10.0.0.0/8", "203.0.113.7/32")),
            Optional.of(READ),
            List.of("arn:aws:iam::aws:policy/ReadOnlyAccess"));
    assertThat(policy.packedChars())
        .isEqualTo(
            policy.document(grantEnds).length()
                + "arn:aws:iam::aws:policy/ReadOnlyAccess".length());
  }

  /** A narrowed profile's template, which a lease's own statements stand in for. */
  static final String TEMPLATE =
      "[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::${bucket}/*\"}]";

  static final String OWN =
      "[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
          + "\"Resource\":\"arn:aws:s3:::team-logs/2026/*\"}]";

  private static AwsTarget narrowed(AwsTarget.Mode mode) {
    return new AwsTarget(
        ROLE,
        mode,
        Optional.empty(),
        Optional.of(TEMPLATE),
        List.of("arn:aws:iam::aws:policy/ReadOnlyAccess"),
        ParameterPatterns.of(Map.of("bucket", "[a-z0-9-]{3,63}")));
  }

  /** A lease's order: the grant's values, and the lease's own statements when it has some. */
  private MintOrder leaseOrder(Optional<FilledDocument> statements) {
    return new MintOrder(
        "prod",
        SourceNetworks.parse(List.of("10.0.0.0/8", "203.0.113.7/32")),
        new IssuedUnder.Lease("g-1", "lse_abcdefghijklmnopqrstuvwx"),
        "jane@example.com",
        "https://idp.example.com",
        "jane",
        Duration.ofHours(1),
        grantEnds,
        ParameterValues.of(Map.of("bucket", "team-logs")),
        statements);
  }

  @ParameterizedTest
  @EnumSource(
      value = AwsTarget.Mode.class,
      mode = EnumSource.Mode.EXCLUDE,
      names = "IDENTITY_CENTER")
  void aLeasesOwnStatementsReplaceTheTemplateAndKeepStintsDeniesAndTheArns(AwsTarget.Mode mode)
      throws Exception {
    minter
        .mint(narrowed(mode), leaseOrder(Optional.of(new FilledDocument(OWN))))
        .get(Patience.seconds(10), TimeUnit.MILLISECONDS);

    Call call =
        sts.onlyCall(
            mode == AwsTarget.Mode.ASSUME_ROLE ? "AssumeRole" : "AssumeRoleWithWebIdentity");
    assertThat(call.param("Policy"))
        .isEqualTo(HEAD + OWN.substring(1, OWN.length() - 1) + "," + timeDeny() + IP_DENY + "]}")
        .doesNotContain("s3:*");
    assertThat(call.param("PolicyArns.member.1.arn"))
        .isEqualTo("arn:aws:iam::aws:policy/ReadOnlyAccess");
  }

  @Test
  void withoutOwnStatementsALeaseHasTheTemplateFilledWithItsValues() throws Exception {
    minter
        .mint(narrowed(AwsTarget.Mode.ASSUME_ROLE), leaseOrder(Optional.empty()))
        .get(Patience.seconds(10), TimeUnit.MILLISECONDS);

    assertThat(sts.onlyCall("AssumeRole").param("Policy"))
        .startsWith(
            HEAD
                + "{\"Effect\":\"Allow\",\"Action\":\"s3:*\","
                + "\"Resource\":\"arn:aws:s3:::team-logs/*\"},");
  }

  static Stream<Arguments> ownStatementsStsWouldNotTake() {
    String many =
        "[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::"
            + "b".repeat(2_000)
            + "\"}]";
    return Stream.of(
        Arguments.of(
            "past STS's size",
            many,
            "the session's own statements (with the grant-end and source_cidrs statements and the"
                + " policy ARNs) come to "
                + (new AwsSessionPolicy(
                        SourceNetworks.parse(List.of("10.0.0.0/8", "203.0.113.7/32")),
                        Optional.of(many),
                        List.of("arn:aws:iam::aws:policy/ReadOnlyAccess"))
                    .packedChars())
                + " characters; AWS allows 2048"),
        Arguments.of(
            "an empty array",
            "[]",
            "a session's own statements must be a non-empty JSON array of statements"),
        Arguments.of(
            "one statement, not an array",
            OWN.substring(1, OWN.length() - 1),
            "a session's own statements must be a non-empty JSON array of statements"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ownStatementsStsWouldNotTake")
  void ownStatementsStsWouldRefuseAreRefusedBeforeSts(String name, String json, String detail) {
    var future =
        minter.mint(
            narrowed(AwsTarget.Mode.ASSUME_ROLE),
            leaseOrder(Optional.of(new FilledDocument(json))));

    MintException e = AwsMinterTest.failure(future);
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(e.detail()).isEqualTo(detail);
    assertThat(sts.calls()).isEmpty();
  }
}
