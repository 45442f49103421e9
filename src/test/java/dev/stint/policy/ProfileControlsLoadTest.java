package dev.stint.policy;

import static dev.stint.policy.PolicyLoaderTest.AWS;
import static dev.stint.policy.PolicyLoaderTest.profile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.stint.cloud.AwsTarget;
import dev.stint.common.AwsSessionPolicy;
import dev.stint.common.SourceNetworks;
import dev.stint.testing.PolicyFixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code source_cidrs}, {@code extension}, {@code aws.session_policy(_arns)} at load. */
class ProfileControlsLoadTest {
  static final String ROLE = "role_arn: 'arn:aws:iam::111122223333:role/r'";
  static final String READ =
      "'{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
          + "\"Action\":[\"s3:Get*\",\"s3:List*\"],\"Resource\":\"*\"}]}'";

  static final String GCP =
      "    gcp: {service_account: viewer@acme-prod.iam.gserviceaccount.com}\n";
  static final String AZURE =
      "    azure: {tenant_id: 0b9c6a7e-3f0a-4e7e-9d3c-5f2b8a1c4d6e,"
          + " client_id: 0b9c6a7e-3f0a-4e7e-9d3c-5f2b8a1c4d6e, scope: https://management.azure.com/.default}\n";

  static String aws(String extra) {
    return "    aws: {" + ROLE + ", " + extra + "}\n";
  }

  /** {@code session_policy:} with the one statement of these members. */
  static String statement(String members) {
    return "session_policy: '{\"Version\":\"2012-10-17\",\"Statement\":{" + members + "}}'";
  }

  static Stream<Arguments> invalid() {
    String tooBig =
        "'{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":["
            + IntStream.range(0, 200)
                .mapToObj(i -> "\"s3:Get" + i + "\"")
                .collect(Collectors.joining(","))
            + "],\"Resource\":\"*\"}}'";
    String elevenArns =
        IntStream.range(0, 11)
            .mapToObj(i -> "'arn:aws:iam::111122223333:policy/p" + i + "'")
            .collect(Collectors.joining(", "));
    return Stream.of(
        Arguments.of(
            "CIDR without prefix",
            profile(AWS, "    source_cidrs: [10.0.0.1]\n"),
            "profiles.p.source_cidrs: '10.0.0.1' is not a CIDR"),
        Arguments.of(
            "CIDR with a name",
            profile(AWS, "    source_cidrs: [vpn.example.com/32]\n"),
            "does not start with an IPv4 or IPv6 address"),
        Arguments.of(
            "IPv4 prefix too long",
            profile(AWS, "    source_cidrs: [10.0.0.0/33]\n"),
            "needs a prefix length from 0 to 32"),
        Arguments.of(
            "IPv6 prefix too long",
            profile(AWS, "    source_cidrs: ['2001:db8::/129']\n"),
            "needs a prefix length from 0 to 128"),
        Arguments.of(
            "host bits set",
            profile(AWS, "    source_cidrs: [10.1.2.3/8]\n"),
            "'10.1.2.3/8' has bits set after the /8 prefix"),
        Arguments.of(
            "CIDR twice",
            profile(AWS, "    source_cidrs: [10.0.0.0/8, 10.0.0.0/8]\n"),
            "is listed twice"),
        Arguments.of(
            "empty CIDR list",
            profile(AWS, "    source_cidrs: []\n"),
            "must list at least one network"),
        Arguments.of(
            "inline policy not JSON",
            profile(aws("session_policy: '{nope'"), ""),
            "profiles.p.aws.session_policy: is not valid JSON"),
        Arguments.of(
            "inline policy wrong version",
            profile(
                aws(
                    "session_policy: '{\"Version\":\"2008-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}'"),
                ""),
            "Version must be \"2012-10-17\""),
        Arguments.of(
            "inline policy without statements",
            profile(aws("session_policy: '{\"Version\":\"2012-10-17\",\"Statement\":[]}'"), ""),
            "Statement must be a statement or a non-empty list"),
        Arguments.of(
            "inline statement with a principal",
            profile(
                aws(
                    "session_policy: '{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\"}}'"),
                ""),
            "Statement[0]: unknown key(s) [Principal]"),
        Arguments.of(
            "inline statement without resource",
            profile(
                aws(
                    "session_policy: '{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\"}}'"),
                ""),
            "needs exactly one of Resource and NotResource"),
        Arguments.of(
            "inline statement bad effect",
            profile(
                aws(
                    "session_policy: '{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"allow\",\"Action\":\"*\",\"Resource\":\"*\"}}'"),
                ""),
            "Effect must be Allow or Deny"),
        Arguments.of(
            "inline deny-only without ARNs",
            profile(
                aws(
                    "session_policy: '{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Deny\",\"Action\":\"iam:*\",\"Resource\":\"*\"}}'"),
                ""),
            "has no Allow statement, so sessions could do nothing"),
        Arguments.of(
            "a Sid AWS refuses",
            profile(
                aws(
                    statement(
                        "\"Sid\":\"read-only\",\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"")),
                ""),
            "Statement[0]: Sid must be letters and digits only"),
        Arguments.of(
            "a Sid twice",
            profile(
                aws(
                    "session_policy: '{\"Version\":\"2012-10-17\",\"Statement\":["
                        + "{\"Sid\":\"A\",\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"},"
                        + "{\"Sid\":\"A\",\"Effect\":\"Deny\",\"Action\":\"iam:*\",\"Resource\":\"*\"}]}'"),
                ""),
            "Sid 'A' is used twice"),
        Arguments.of(
            "an action without its service",
            profile(
                aws(
                    statement(
                        "\"Effect\":\"Allow\",\"Action\":[\"s3:Get*\",\"GetObject\"],\"Resource\":\"*\"")),
                ""),
            "Statement[0].Action: 'GetObject' must be * or service:action"),
        Arguments.of(
            "no actions",
            profile(aws(statement("\"Effect\":\"Allow\",\"Action\":[],\"Resource\":\"*\"")), ""),
            "Statement[0].Action must not be empty"),
        Arguments.of(
            "a resource that is not an ARN",
            profile(
                aws(
                    statement(
                        "\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"NotResource\":\"my-bucket\"")),
                ""),
            "Statement[0].NotResource: 'my-bucket' must be * or an ARN"),
        Arguments.of(
            "a condition that is not operator, key and values",
            profile(
                aws(
                    statement(
                        "\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":\"x\"}")),
                ""),
            "Statement[0].Condition must map each operator to {key: value or [values]}"),
        Arguments.of(
            "inline policy too large",
            profile(aws("session_policy: " + tooBig), ""),
            "characters; AWS allows 2048"),
        Arguments.of(
            "bad policy ARN",
            profile(aws("session_policy_arns: ['arn:aws:iam::111122223333:role/x']"), ""),
            "is not a managed policy ARN"),
        Arguments.of(
            "eleven policy ARNs",
            profile(aws("session_policy_arns: [" + elevenArns + "]"), ""),
            "lists 11 policies; AWS accepts at most 10"),
        Arguments.of(
            "extension without max_total",
            profile(AWS, "    extension: {approval: auto}\n"),
            "profiles.p.extension.max_total: is required"),
        Arguments.of(
            "extension bad approval",
            profile(AWS, "    extension: {max_total: 8h, approval: maybe}\n"),
            "extension.approval: must be one of required, auto"),
        Arguments.of(
            "extension shorter than max_duration",
            profile(AWS, "    extension: {max_total: 30m, approval: auto}\n"),
            "extension.max_total: is shorter than max_duration"),
        Arguments.of(
            "leases without max_active",
            profile(AWS, "    leases: {max_duration: 30m}\n"),
            "profiles.p.leases.max_active: is required"),
        Arguments.of(
            "leases longer than the profile",
            profile(AWS, "    leases: {max_duration: 2h, max_active: 3}\n"),
            "profiles.p.leases.max_duration: is longer than the profile's max_duration"),
        Arguments.of(
            "leases of no time",
            profile(AWS, "    leases: {max_duration: 0m, max_active: 3}\n"),
            "profiles.p.leases.max_duration"),
        Arguments.of(
            "leases none active",
            profile(AWS, "    leases: {max_duration: 30m, max_active: 0}\n"),
            "profiles.p.leases.max_active: must be from 1 to 100"),
        Arguments.of(
            "leases too many active",
            profile(AWS, "    leases: {max_duration: 30m, max_active: 101}\n"),
            "profiles.p.leases.max_active: must be from 1 to 100"),
        Arguments.of(
            "leases bad approval",
            profile(AWS, "    leases: {max_duration: 30m, max_active: 3, approval: auto}\n"),
            "leases.approval: must be one of none, required"),
        Arguments.of(
            "leases unknown key",
            profile(AWS, "    leases: {max_duration: 30m, max_active: 3, task: x}\n"),
            "leases.task: unknown key"),
        Arguments.of(
            "extension unknown key",
            profile(AWS, "    extension: {max_total: 8h, approval: auto, count: 2}\n"),
            "extension.count: unknown key"),
        Arguments.of(
            "token lifetime on AWS",
            profile(AWS, "    max_token_lifetime: 15m\n"),
            "profiles.p.max_token_lifetime: is for gcp and azure profiles only"),
        Arguments.of(
            "token lifetime over max_duration",
            profile(GCP, "    max_token_lifetime: 2h\n"),
            "profiles.p.max_token_lifetime: is longer than max_duration (1h)"),
        Arguments.of(
            "token lifetime zero",
            profile(AZURE, "    max_token_lifetime: 0m\n"),
            "profiles.p.max_token_lifetime: duration '0m' must be greater than zero"),
        Arguments.of(
            "token lifetime not a duration",
            profile(GCP, "    max_token_lifetime: soon\n"),
            "profiles.p.max_token_lifetime: expected a duration"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void refusesWithTheProblem(String name, String yaml, String expected) {
    PolicyException e =
        catchThrowableOfType(PolicyException.class, () -> PolicyFixtures.load(yaml));
    assertThat(e).as("policy should be refused").isNotNull();
    assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains(expected));
  }

  @Test
  void loadsNetworksNarrowingAndExtension() {
    Policy p =
        PolicyFixtures.load(
            profile(
                aws(
                    "session_policy: "
                        + READ
                        + ", session_policy_arns: ['arn:aws:iam::aws:policy/ReadOnlyAccess']"),
                "    source_cidrs: [10.0.0.0/8, 203.0.113.7/32, '2001:db8::/32']\n"
                    + "    extension: {max_total: 8h, approval: required}\n"));
    Profile profile = p.profile("p").orElseThrow();
    assertThat(profile.sources().cidrs())
        .containsExactly("10.0.0.0/8", "203.0.113.7/32", "2001:db8:0:0:0:0:0:0/32");
    assertThat(profile.extension())
        .contains(new ExtensionRule(Duration.ofHours(8), ExtensionRule.Approval.REQUIRED));
    AwsTarget target = (AwsTarget) profile.target();
    assertThat(target.sessionPolicy())
        .contains(
            "[{\"Effect\":\"Allow\",\"Action\":[\"s3:Get*\","
                + "\"s3:List*\"],\"Resource\":\"*\"}]");
    assertThat(target.sessionPolicyArns())
        .containsExactly("arn:aws:iam::aws:policy/ReadOnlyAccess");
  }

  @Test
  void leasesLoadWithTheirLimitsAndNoApprovalUnlessAsked() {
    Profile asked =
        PolicyFixtures.load(
                profile(
                    AWS, "    leases: {max_duration: 30m, max_active: 3, approval: required}\n"))
            .profile("p")
            .orElseThrow();
    Profile plain =
        PolicyFixtures.load(profile(AWS, "    leases: {max_duration: 1h, max_active: 1}\n"))
            .profile("p")
            .orElseThrow();

    assertThat(asked.leases())
        .contains(new LeaseRule(Duration.ofMinutes(30), 3, LeaseRule.Approval.REQUIRED));
    assertThat(plain.leases())
        .contains(new LeaseRule(Duration.ofHours(1), 1, LeaseRule.Approval.NONE));
    assertThat(PolicyFixtures.load(profile(AWS, "")).profile("p").orElseThrow().leases()).isEmpty();
  }

  @Test
  void charactersStsDoesNotTakeAreSentAsJsonEscapes() {
    AwsTarget target =
        (AwsTarget)
            PolicyFixtures.load(
                    profile(
                        aws(
                            statement(
                                "\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
                                    + "\"Resource\":\"arn:aws:s3:::reports/日本/*\"")),
                        ""))
                .profile("p")
                .orElseThrow()
                .target();
    String document =
        new AwsSessionPolicy(SourceNetworks.ANY, target.sessionPolicy(), List.of())
            .document(Instant.parse("2026-11-23T10:00:00Z"));

    // STS takes U+0009, U+000A, U+000D and U+0020 to U+00FF in a session policy, nothing else.
    assertThat(document)
        .contains("arn:aws:s3:::reports/\\u65E5\\u672C/*")
        .matches("[\\x20-\\x7E]*");
  }

  @Test
  void aProfileWithoutTheKeysHasNoRestrictionsAndNoExtensions() {
    Profile profile = PolicyFixtures.load(profile(AWS, "")).profile("p").orElseThrow();
    assertThat(profile.sources().restricted()).isFalse();
    assertThat(profile.extension()).isEmpty();
    assertThat(
            new AwsSessionPolicy(profile.sources(), Optional.empty(), List.of())
                .document(Instant.parse("2026-11-23T10:00:00Z")))
        .isEqualTo(
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\","
                + "\"Resource\":\"*\"},{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\","
                + "\"Condition\":{\"DateGreaterThan\":{\"aws:CurrentTime\":\"2026-11-23T10:00:00Z\"}}}]}");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tokenClouds")
  void gcpAndAzureProfilesMayCapTokensBelowMaxDuration(String cloud, String target) {
    Profile capped =
        PolicyFixtures.load(profile(target, "    max_token_lifetime: 15m\n"))
            .profile("p")
            .orElseThrow();
    Profile uncapped = PolicyFixtures.load(profile(target, "")).profile("p").orElseThrow();
    Profile atMax =
        PolicyFixtures.load(profile(target, "    max_token_lifetime: 1h\n"))
            .profile("p")
            .orElseThrow();

    assertThat(capped.target().cloud()).isEqualTo(cloud);
    assertThat(capped.maxTokenLifetime()).contains(Duration.ofMinutes(15));
    assertThat(uncapped.maxTokenLifetime()).isEmpty();
    assertThat(atMax.maxTokenLifetime()).contains(Duration.ofHours(1));
  }

  static Stream<Arguments> tokenClouds() {
    return Stream.of(Arguments.of("gcp", GCP), Arguments.of("azure", AZURE));
  }

  static Stream<Arguments> addresses() {
    return Stream.of(
        Arguments.of("10.0.0.0/8", "10.200.3.4", true),
        Arguments.of("10.0.0.0/8", "11.0.0.1", false),
        Arguments.of("203.0.113.7/32", "203.0.113.7", true),
        Arguments.of("203.0.113.7/32", "203.0.113.8", false),
        Arguments.of("10.0.0.0/8", "::ffff:10.1.1.1", true),
        Arguments.of("2001:db8::/32", "2001:db8:1::5", true),
        Arguments.of("2001:db8::/32", "2001:db9::5", false),
        Arguments.of("10.0.0.0/8", "2001:db8::1", false),
        Arguments.of("0.0.0.0/0", "192.0.2.1", true),
        Arguments.of("127.0.0.1/32", "localhost", false),
        Arguments.of("127.0.0.1/32", "", false));
  }

  @ParameterizedTest(name = "{1} in {0}: {2}")
  @MethodSource("addresses")
  void sourceNetworksContain(String cidr, String address, boolean inside) {
    SourceNetworks n = SourceNetworks.parse(List.of(cidr));
    assertThat(n.contains(Optional.of(address))).isEqualTo(inside);
    assertThat(n.contains(Optional.empty())).as("no address is outside").isFalse();
    assertThat(SourceNetworks.ANY.contains(Optional.empty())).isTrue();
  }
}
