package dev.stint.policy;

import static dev.stint.policy.PolicyLoaderTest.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.stint.cloud.AwsTarget;
import dev.stint.cloud.GcpTarget;
import dev.stint.common.ParameterValues;
import dev.stint.common.SourceNetworks;
import dev.stint.testing.PolicyFixtures;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code parameters} on a profile and the template they fill, as {@code policy check} reads them.
 */
class NarrowedProfileLoadTest {
  static final String BUCKET =
      "{pattern: '[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]', description: The bucket to read}";
  static final String READ =
      "[{Effect: Allow, Action: 's3:GetObject', Resource: 'arn:aws:s3:::${bucket}/*'}]";
  static final String BOUNDARY_RULE =
      "{availableResource: '//storage.googleapis.com/projects/_/buckets/${bucket}',"
          + " availablePermissions: ['inRole:roles/storage.objectViewer']}";

  /** A profile {@code s3-read} with this target and these parameters. */
  static String narrowed(String target, String parameters) {
    return ISSUER
        + "profiles:\n  s3-read:\n"
        + target
        + (parameters.isEmpty() ? "" : "    parameters: " + parameters + "\n")
        + "    max_duration: 1h\n    requesters: 'true'\n"
        + "    approval: {count: 1, approvers: 'true'}\n";
  }

  static String aws(String statements) {
    return "    aws:\n      role_arn: 'arn:aws:iam::111122223333:role/r'\n"
        + "      session_policy: {Version: '2012-10-17', Statement: "
        + statements
        + "}\n";
  }

  static String gcp(String rules) {
    return "    gcp:\n      service_account: viewer@acme-prod.iam.gserviceaccount.com\n"
        + "      access_boundary: {accessBoundary: {accessBoundaryRules: "
        + rules
        + "}}\n";
  }

  static Stream<Arguments> refused() {
    String nineResources =
        IntStream.range(0, 9)
            .mapToObj(i -> "'arn:aws:s3:::${bucket}/" + i + "'")
            .collect(Collectors.joining(", ", "[", "]"));
    String elevenRules =
        IntStream.range(0, 11)
            .mapToObj(i -> BOUNDARY_RULE)
            .collect(Collectors.joining(", ", "[", "]"));
    return Stream.of(
        Arguments.of(
            "a placeholder nobody declared",
            narrowed(aws(READ), ""),
            "profiles.s3-read.aws.session_policy: uses ${bucket}, but profile 's3-read' declares"
                + " no parameter bucket"),
        Arguments.of(
            "a parameter nothing uses",
            narrowed(aws(READ), "{bucket: " + BUCKET + ", prefix: " + BUCKET + "}"),
            "profiles.s3-read.parameters.prefix: profile 's3-read' declares prefix but its"
                + " aws.session_policy never uses ${prefix}"),
        Arguments.of(
            "parameters without a session policy",
            narrowed(
                "    aws: {role_arn: 'arn:aws:iam::111122223333:role/r'}\n",
                "{bucket: " + BUCKET + "}"),
            "profiles.s3-read.parameters: profile 's3-read' declares parameters but has neither"
                + " aws.session_policy nor gcp.access_boundary"),
        Arguments.of(
            "parameters on an Azure profile",
            narrowed(ProfileControlsLoadTest.AZURE, "{bucket: " + BUCKET + "}"),
            "an Azure token cannot be narrowed by its issuer"),
        Arguments.of(
            "a pattern admitting anything",
            narrowed(aws(READ), "{bucket: {pattern: '.{1,63}', description: d}}"),
            "profiles.s3-read.parameters.bucket.pattern: at 1: '.' admits any character"),
        Arguments.of(
            "a pattern admitting ARN separators unsaid",
            narrowed(aws(READ), "{bucket: {pattern: '[a-z:/]{1,63}', description: d}}"),
            "profiles.s3-read.parameters.bucket.pattern: admits ':'"),
        Arguments.of(
            "an unknown admits",
            narrowed(aws(READ), "{bucket: {pattern: '[a-z]{1,9}', description: d, admits: [all]}}"),
            "profiles.s3-read.parameters.bucket.admits: 'all' is not one of wildcards"),
        Arguments.of(
            "a parameter without a description",
            narrowed(aws(READ), "{bucket: {pattern: '[a-z]{1,9}'}}"),
            "profiles.s3-read.parameters.bucket.description: is required"),
        Arguments.of(
            "a bad parameter name",
            narrowed(aws(READ.replace("bucket", "Bucket")), "{Bucket: " + BUCKET + "}"),
            "profiles.s3-read.parameters.Bucket: a parameter's name is a lower-case letter"),
        Arguments.of(
            "values that are not a list of strings",
            narrowed(
                aws(READ), "{bucket: {pattern: '[a-z]{1,9}', description: d, values: 'true'}}"),
            "profiles.s3-read.parameters.bucket.values: values must be a list of strings, is bool"),
        Arguments.of(
            "values reading a field the principal lacks",
            narrowed(
                aws(READ),
                "{bucket: {pattern: '[a-z]{1,9}', description: d, values: 'principal.team'}}"),
            "profiles.s3-read.parameters.bucket.values: CEL: undefined field 'team'"),
        Arguments.of(
            "a template no valid policy once filled",
            narrowed(
                aws("[{Effect: Allow, Action: 's3:Get${op}', Resource: '*'}]"),
                "{op: {pattern: '[a-z]{1,5}-[a-z]{1,5}', description: d}}"),
            "profiles.s3-read.aws.session_policy: profile 's3-read' filled with the sample values"
                + " {op=a-a}: Statement[0].Action: 's3:Geta-a' must be * or service:action"),
        Arguments.of(
            "a session policy too large once filled with the longest values",
            narrowed(
                aws("[{Effect: Allow, Action: 's3:GetObject', Resource: " + nineResources + "}]"),
                "{bucket: {pattern: '[a-z]{1,256}', description: d}}"),
            "profiles.s3-read.aws.session_policy: profile 's3-read': filled with the longest"
                + " values its parameters' patterns admit, the session policy"),
        Arguments.of(
            "a placeholder in an access boundary nobody declared",
            narrowed(gcp("[" + BOUNDARY_RULE + "]"), ""),
            "profiles.s3-read.gcp.access_boundary: uses ${bucket}, but profile 's3-read'"),
        Arguments.of(
            "an access boundary of eleven rules",
            narrowed(gcp(elevenRules), "{bucket: " + BUCKET + "}"),
            "profiles.s3-read.gcp.access_boundary: profile 's3-read' filled with the sample values"
                + " {bucket=000}: accessBoundaryRules must list 1 to 10 rules"),
        Arguments.of(
            "an access boundary permission not a role",
            narrowed(
                gcp("[" + BOUNDARY_RULE.replace("inRole:roles/", "") + "]"),
                "{bucket: " + BUCKET + "}"),
            "availablePermissions must list roles as inRole:roles/NAME"),
        Arguments.of(
            "an access boundary no valid boundary once filled",
            narrowed(
                gcp("[{availableResource: '${bucket}', availablePermissions: ['inRole:roles/x']}]"),
                "{bucket: {pattern: '[a-z]{1,9}', description: d}}"),
            "profiles.s3-read.gcp.access_boundary: profile 's3-read' filled with the sample values"
                + " {bucket=a}: accessBoundaryRules[0].availableResource must be a full resource"
                + " name"),
        Arguments.of(
            "an access boundary without parameters past Google's limit",
            narrowed(gcp(longRules(10, "projects/_/buckets/acme-exports")), ""),
            "profiles.s3-read.gcp.access_boundary: profile 's3-read': the access boundary is 2"),
        Arguments.of(
            "a placeholder outside a quoted string of a boundary's condition (CEL to the requester)",
            narrowed(
                gcp(
                    "[{availableResource: '//storage.googleapis.com/projects/_/buckets/b',"
                        + " availablePermissions: ['inRole:roles/storage.objectViewer'],"
                        + " availabilityCondition: {expression: \"resource.name.startsWith('a')"
                        + " || ${prefix}\"}}]"),
                "{prefix: {pattern: '[a-z]{1,63}', description: d}}"),
            "profiles.s3-read.gcp.access_boundary: accessBoundaryRules[0].availabilityCondition"
                + ".expression: a ${NAME} must stand inside a quoted string"),
        Arguments.of(
            "an access boundary past Google's limit once filled with the longest values",
            narrowed(
                gcp(longRules(7, "projects/_/buckets/${bucket}")),
                "{bucket: {pattern: '[a-z]{1,63}', description: d}}"),
            "profiles.s3-read.gcp.access_boundary: profile 's3-read': filled with the longest"
                + " values its parameters' patterns admit, the access boundary is"));
  }

  /** {@code count} rules on {@code resource}, each with a condition of some 150 characters. */
  static String longRules(int count, String resource) {
    String rule =
        "{availableResource: '//storage.googleapis.com/"
            + resource
            + "', availablePermissions: ['inRole:roles/storage.objectViewer'],"
            + " availabilityCondition: {expression: \"resource.name.startsWith('projects/_/buckets/"
            + "acme-exports/objects/reports/finance/2026/quarterly/')\"}}";
    return IntStream.range(0, count)
        .mapToObj(i -> rule)
        .collect(Collectors.joining(", ", "[", "]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void policyCheckRefuses(String why, String yaml, String expected) {
    PolicyException e =
        catchThrowableOfType(() -> PolicyFixtures.load(yaml), PolicyException.class);
    assertThat(e).as(why).isNotNull();
    assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains(expected));
  }

  @Test
  void aPlaceholderInsideAQuotedStringOfABoundarysConditionLoads() {
    Policy policy =
        PolicyFixtures.load(
            narrowed(
                gcp(
                    "[{availableResource: '//storage.googleapis.com/projects/_/buckets/b',"
                        + " availablePermissions: ['inRole:roles/storage.objectViewer'],"
                        + " availabilityCondition: {expression: \"resource.name.startsWith("
                        + "'projects/_/buckets/b/objects/${prefix}')\"}}]"),
                "{prefix: {pattern: '[a-z]{1,63}', description: d}}"));

    assertThat(policy.profile("s3-read").orElseThrow().parameters()).containsKey("prefix");
  }

  @Test
  void aNarrowedProfileLoadsWithItsParametersBoundToItsTemplate() {
    Policy policy =
        PolicyFixtures.load(
            narrowed(
                aws(READ),
                "{bucket: {pattern: '[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]', description: The bucket,"
                    + " values: 'principal.groups.map(g, g + \"-data\")'}}"));
    Profile profile = policy.profile("s3-read").orElseThrow();
    Parameter bucket = profile.parameters().get("bucket");
    assertThat(bucket.description()).isEqualTo("The bucket");
    AwsTarget aws = (AwsTarget) profile.target();
    assertThat(aws.parameters().names()).containsExactly("bucket");
    assertThat(
            aws.filledSessionPolicy(ParameterValues.of(Map.of("bucket", "sre-data")))
                .orElseThrow()
                .json())
        .isEqualTo(
            "[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::sre-data/*\"}]");
    AllowedValues.Result allowed =
        bucket.allowedFor(
            PolicyFixtures.person("alice", "alice@example.com", List.of("sre", "BAD_Group")),
            Instant.parse("2030-01-01T00:00:00Z"));
    assertThat(allowed.error()).isEmpty();
    assertThat(allowed.values()).containsExactly("sre-data");
    assertThat(bucket.accepts("sre-data", allowed)).isTrue();
    assertThat(bucket.accepts("payments-data", allowed)).isFalse();
    assertThat(bucket.accepts("a..b", AllowedValues.Result.failed("x"))).isFalse();
    assertThat(
            aws.sessionPolicyFrom(SourceNetworks.ANY, ParameterValues.of(Map.of("bucket", "x-y"))))
        .isNotNull();
  }

  /** The same boundaries as the refusals, within the limit: what tips them over is the size. */
  @Test
  void anAccessBoundaryWithinGooglesLimitLoads() {
    PolicyFixtures.load(narrowed(gcp(longRules(7, "projects/_/buckets/acme-exports")), ""));
    PolicyFixtures.load(
        narrowed(
            gcp(longRules(7, "projects/_/buckets/${bucket}")),
            "{bucket: {pattern: '[a-z]{1,12}', description: d}}"));
  }

  @Test
  void aNarrowedGcpProfileLoadsWithItsBoundary() {
    Policy policy =
        PolicyFixtures.load(narrowed(gcp("[" + BOUNDARY_RULE + "]"), "{bucket: " + BUCKET + "}"));
    GcpTarget gcp = (GcpTarget) policy.profile("s3-read").orElseThrow().target();
    assertThat(
            gcp.accessBoundaryFor(ParameterValues.of(Map.of("bucket", "team-data")))
                .orElseThrow()
                .json())
        .contains("\"//storage.googleapis.com/projects/_/buckets/team-data\"");
  }
}
