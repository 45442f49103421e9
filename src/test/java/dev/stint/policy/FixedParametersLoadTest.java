package dev.stint.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.stint.common.ParameterValues;
import dev.stint.testing.PolicyFixtures;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The values a bundle or a CI rule fixes for a narrowed profile, as {@code policy check} reads. */
class FixedParametersLoadTest {
  static final String RULES =
      "    max_duration: 1h\n    requesters: 'true'\n"
          + "    approval: {count: 1, approvers: 'true'}\n";
  static final String PROFILES =
      "issuers:\n"
          + "  corp: {issuer: https://login.example.com, audience: stint}\n"
          + "  gh: {issuer: https://token.actions.githubusercontent.com, audience: stint}\n"
          + "profiles:\n"
          + "  s3-read:\n"
          + NarrowedProfileLoadTest.aws(NarrowedProfileLoadTest.READ)
          + "    parameters:\n"
          + "      bucket: {pattern: '[a-z0-9][a-z0-9-]{1,61}[a-z0-9]', description: The bucket,"
          + " values: '[\"team-data\"]'}\n"
          + RULES
          + "  gcs:\n"
          + NarrowedProfileLoadTest.gcp("[" + NarrowedProfileLoadTest.BOUNDARY_RULE + "]")
          + "    parameters: {bucket: "
          + NarrowedProfileLoadTest.BUCKET
          + "}\n"
          + RULES
          + "  plain:\n"
          + "    aws: {role_arn: 'arn:aws:iam::111122223333:role/plain'}\n"
          + RULES;

  static String bundle(String body) {
    return PROFILES + "bundles:\n  b: " + body + "\n";
  }

  static String ci(String parameters) {
    return PROFILES
        + "ci:\n  r: {issuer: gh, profile: s3-read, when: 'true', max_duration: 30m,"
        + " approval: none"
        + parameters
        + "}\n";
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        Arguments.of(
            "a bundle's values for a profile without parameters",
            bundle(
                "{profiles: [s3-read, plain], parameters: {s3-read: {bucket: team-data},"
                    + " plain: {bucket: team-data}}}"),
            "bundles.b.parameters.plain: profile 'plain' takes no parameters"),
        Arguments.of(
            "a bundle's values for a profile it does not hold",
            bundle(
                "{profiles: [s3-read, plain], parameters: {s3-read: {bucket: team-data},"
                    + " gcs: {bucket: team-data}}}"),
            "bundles.b.parameters.gcs: 'gcs' is not a profile of this bundle"),
        Arguments.of(
            "a narrowed profile in a bundle without values",
            bundle("{profiles: [s3-read, plain]}"),
            "bundles.b.parameters: profile 's3-read' is narrowed: bundle 'b' must fix a value for"
                + " each of its parameters (bucket)"),
        Arguments.of(
            "a narrowed profile in a bundle whose values are for others",
            bundle("{profiles: [s3-read, gcs], parameters: {gcs: {bucket: team-data}}}"),
            "bundles.b.parameters: profile 's3-read' is narrowed"),
        Arguments.of(
            "a bundle naming a parameter the profile lacks",
            bundle(
                "{profiles: [s3-read, plain], parameters: {s3-read: {bucket: team-data,"
                    + " prefix: x}}}"),
            "bundles.b.parameters.s3-read: profile 's3-read': 'prefix' is not a parameter"),
        Arguments.of(
            "a bundle's value its pattern refuses",
            bundle("{profiles: [s3-read, plain], parameters: {s3-read: {bucket: 'team-*'}}}"),
            "bundles.b.parameters.s3-read: profile 's3-read': bucket: the value does not match"),
        Arguments.of(
            "a bundle's value with a leading space, which is not trimmed away",
            bundle("{profiles: [s3-read, plain], parameters: {s3-read: {bucket: ' team-data'}}}"),
            "bundles.b.parameters.s3-read: profile 's3-read': bucket: a value is printable ASCII"
                + " without spaces"),
        Arguments.of(
            "a bundle's value that is a number",
            bundle("{profiles: [s3-read, plain], parameters: {s3-read: {bucket: 123}}}"),
            "bundles.b.parameters.s3-read.bucket: must be a non-empty string"),
        Arguments.of(
            "a bundle's empty parameters",
            bundle("{profiles: [s3-read, plain], parameters: {}}"),
            "bundles.b.parameters: must map a narrowed profile to {NAME: value}"),
        Arguments.of(
            "a bundle's profile mapped to nothing",
            bundle("{profiles: [s3-read, plain], parameters: {s3-read: {}}}"),
            "bundles.b.parameters.s3-read: must map at least one NAME to a value"),
        Arguments.of(
            "a CI rule on a narrowed profile without values",
            ci(""),
            "ci.r.parameters: profile 's3-read' is narrowed: CI rule 'r' must fix a value for"
                + " each of its parameters (bucket)"),
        Arguments.of(
            "a CI rule's values for a profile without parameters",
            ci(", parameters: {bucket: team-data}").replace("profile: s3-read", "profile: plain"),
            "ci.r.parameters: profile 'plain' takes no parameters"),
        Arguments.of(
            "a CI rule's value its pattern refuses",
            ci(", parameters: {bucket: 'a..b'}"),
            "ci.r.parameters: profile 's3-read': bucket: a value is printable ASCII without spaces"
                + " and never holds '..'"),
        Arguments.of(
            "a CI rule's parameters not a mapping",
            ci(", parameters: team-data"),
            "ci.r.parameters: must be a mapping"),
        Arguments.of(
            "a CI rule's empty parameters",
            ci(", parameters: {}"),
            "ci.r.parameters: must map at least one NAME to a value"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void policyCheckRefuses(String why, String yaml, String expected) {
    PolicyException e =
        catchThrowableOfType(() -> PolicyFixtures.load(yaml), PolicyException.class);
    assertThat(e).as(why).isNotNull();
    assertThat(e.problems()).as(why).anySatisfy(p -> assertThat(p).contains(expected));
  }

  @Test
  void aBundleAndACiRuleLoadWithTheValuesTheyFix() {
    Policy policy =
        PolicyFixtures.load(
            ci(", parameters: {bucket: team-data}")
                + "bundles:\n  b: {profiles: [s3-read, gcs, plain], parameters:"
                + " {s3-read: {bucket: team-data}, gcs: {bucket: team-exports}}}\n");
    Bundle b = policy.bundle("b").orElseThrow();
    assertThat(b.parametersOf("s3-read"))
        .isEqualTo(ParameterValues.of(Map.of("bucket", "team-data")));
    assertThat(b.parametersOf("gcs"))
        .isEqualTo(ParameterValues.of(Map.of("bucket", "team-exports")));
    assertThat(b.parametersOf("plain")).isEqualTo(ParameterValues.NONE);
    assertThat(policy.ci().get(0).parameters())
        .isEqualTo(ParameterValues.of(Map.of("bucket", "team-data")));
  }

  /** A load has no person to read a parameter's {@code values} from: the filing checks them. */
  @Test
  void aFixedValueIsNotCheckedAgainstTheParametersValuesList() {
    Policy policy =
        PolicyFixtures.load(
            bundle("{profiles: [s3-read, plain], parameters: {s3-read: {bucket: other-data}}}"));
    assertThat(policy.bundle("b").orElseThrow().parametersOf("s3-read").values())
        .containsEntry("bucket", "other-data");
  }
}
