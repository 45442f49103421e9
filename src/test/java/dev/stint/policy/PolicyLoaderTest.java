package dev.stint.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.stint.cloud.AwsTarget;
import dev.stint.cloud.GcpTarget;
import dev.stint.identity.IssuerUse;
import dev.stint.testing.PolicyFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Invalid policies are refused with {@code file: key: reason}; valid ones load in full. */
class PolicyLoaderTest {
  static final String ISSUER =
      "issuers:\n  corp: {issuer: https://login.example.com, audience: stint}\n";
  static final String PROFILE_HEAD = ISSUER + "profiles:\n  p:\n";
  static final String AWS = "    aws: {role_arn: \"arn:aws:iam::111122223333:role/r\"}\n";
  static final String REST =
      "    max_duration: 1h\n    requesters: 'true'\n"
          + "    approval: {count: 1, approvers: 'true'}\n";

  static String profile(String target, String extra) {
    return PROFILE_HEAD + target + REST + extra;
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of(
            "unknown top-level key", "profilez: {}\n", "policy.yaml: profilez: unknown key"),
        Arguments.of(
            "not YAML: an unclosed flow list",
            "a: [\n",
            "policy.yaml: line 2, column 1: not valid YAML: expected the node content, but found"
                + " '<stream end>' (while parsing a flow node)"),
        Arguments.of(
            "not YAML: a mapping inside a plain value",
            "auditors: 'true'\nadmins: a: b\n",
            "policy.yaml: line 2, column 10: not valid YAML: mapping values are not allowed here"),
        Arguments.of(
            "not YAML: a misindented key",
            "issuers:\n  corp:\n    issuer: https://x.example.com\n   audience: y\n",
            "policy.yaml: line 4, column 4: not valid YAML: expected <block end>, but found"
                + " '<block mapping start>' (while parsing a block mapping at line 2, column 3)"),
        Arguments.of(
            "not YAML: a tab as indentation",
            "issuers:\n\tcorp: {}\n",
            "policy.yaml: line 2, column 1: not valid YAML: found character '\\t(TAB)'"),
        Arguments.of(
            "duplicate YAML key",
            "auditors: 'true'\nauditors: 'false'\n",
            "policy.yaml: line 2, column 9: not valid YAML: Duplicate field 'auditors'"),
        Arguments.of("top level not a mapping", "- a\n", "must be a mapping at the top level"),
        Arguments.of(
            "issuer without audience",
            "issuers:\n  corp: {issuer: https://x.example.com}\n",
            "issuers.corp.audience: is required"),
        Arguments.of(
            "issuer over plain http",
            "issuers:\n  corp: {issuer: http://x.example.com, audience: a}\n",
            "issuers.corp.issuer: must use https"),
        Arguments.of(
            "issuer URL with a query",
            "issuers:\n  corp: {issuer: 'https://x.example.com/?a=b', audience: a}\n",
            "no query"),
        Arguments.of(
            "symmetric algorithm",
            "issuers:\n  corp: {issuer: https://x.example.com, audience: a, algorithms: [HS256]}\n",
            "'HS256' is not allowed"),
        Arguments.of(
            "alg none",
            "issuers:\n  corp: {issuer: https://x.example.com, audience: a, algorithms: [none]}\n",
            "'none' is not allowed"),
        Arguments.of(
            "bad token lifetime",
            "issuers:\n  corp: {issuer: https://x.example.com, audience: a, max_token_lifetime: forever}\n",
            "issuers.corp.max_token_lifetime: expected a duration"),
        Arguments.of(
            "unknown issuer key",
            "issuers:\n  corp: {issuer: https://x.example.com, audience: a, audiance: b}\n",
            "issuers.corp.audiance: unknown key"),
        Arguments.of(
            "two issuers, one URL",
            ISSUER + "  again: {issuer: https://login.example.com, audience: b}\n",
            "issuers.again.issuer: same URL as issuer 'corp'"),
        Arguments.of(
            "bad name", ISSUER.replace("corp", "Corp!"), "issuers.Corp!: name must be lower-case"),
        Arguments.of("no cloud", profile("", ""), "profiles.p: needs one cloud target"),
        Arguments.of(
            "two clouds",
            profile(AWS + "    gcp: {service_account: a@b.iam.gserviceaccount.com}\n", ""),
            "more than one cloud target"),
        Arguments.of(
            "bad role ARN",
            profile("    aws: {role_arn: 'arn:aws:iam::1:user/x'}\n", ""),
            "profiles.p.aws.role_arn: must be an IAM role ARN"),
        Arguments.of(
            "bad AWS mode",
            profile("    aws: {role_arn: 'arn:aws:iam::111122223333:role/r', mode: sso}\n", ""),
            "aws.mode: must be one of assume_role, web_identity"),
        Arguments.of(
            "bad AWS region",
            profile("    aws: {role_arn: 'arn:aws:iam::111122223333:role/r', region: mars}\n", ""),
            "aws.region: must be an AWS region"),
        Arguments.of(
            "bad service account",
            profile("    gcp: {service_account: me@gmail.com}\n", ""),
            "gcp.service_account: must be a service account email"),
        Arguments.of(
            "bad GCP scope",
            profile(
                "    gcp: {service_account: viewer@acme-prod.iam.gserviceaccount.com, scopes: ['https://evil.example.com/x']}\n",
                ""),
            "is not a Google OAuth scope"),
        Arguments.of(
            "workload identity without provider",
            profile(
                "    gcp: {service_account: viewer@acme-prod.iam.gserviceaccount.com, mode: workload_identity}\n",
                ""),
            "gcp.workload_provider: is required with mode workload_identity"),
        Arguments.of(
            "bad tenant",
            profile(
                "    azure: {tenant_id: x, client_id: 0b9c6a7e-3f0a-4e7e-9d3c-5f2b8a1c4d6e, scope: https://management.azure.com/.default}\n",
                ""),
            "azure.tenant_id: must be a GUID"),
        Arguments.of(
            "bad client",
            profile(
                "    azure: {tenant_id: 0b9c6a7e-3f0a-4e7e-9d3c-5f2b8a1c4d6e, client_id: abc, scope: https://management.azure.com/.default}\n",
                ""),
            "azure.client_id: must be a GUID"),
        Arguments.of(
            "bad Azure scope",
            profile(
                "    azure: {tenant_id: 0b9c6a7e-3f0a-4e7e-9d3c-5f2b8a1c4d6e, client_id: 0b9c6a7e-3f0a-4e7e-9d3c-5f2b8a1c4d6e, scope: user.read}\n",
                ""),
            "azure.scope: must be a resource's .default scope"),
        Arguments.of(
            "missing max_duration",
            PROFILE_HEAD
                + AWS
                + "    requesters: 'true'\n    approval: {count: 1, approvers: 'true'}\n",
            "profiles.p.max_duration: is required"),
        Arguments.of(
            "bad max_duration",
            profile(AWS, "").replace("max_duration: 1h", "max_duration: 1 hour"),
            "profiles.p.max_duration: expected a duration"),
        Arguments.of(
            "missing requesters",
            PROFILE_HEAD
                + AWS
                + "    max_duration: 1h\n    approval: {count: 1, approvers: 'true'}\n",
            "profiles.p.requesters: is required"),
        Arguments.of(
            "CEL syntax error",
            profile(AWS, "")
                .replace("requesters: 'true'", "requesters: 'principal.groups.exists(g, g =='"),
            "profiles.p.requesters: CEL: mismatched input '<EOF>'"),
        Arguments.of(
            "CEL undeclared variable",
            profile(AWS, "").replace("requesters: 'true'", "requesters: 'user.admin'"),
            "profiles.p.requesters: CEL: undeclared reference to 'user' (column 1)"),
        Arguments.of(
            "CEL not boolean",
            profile(AWS, "").replace("requesters: 'true'", "requesters: '1 + 2'"),
            "profiles.p.requesters: condition must be boolean"),
        Arguments.of(
            "approval count zero",
            profile(AWS, "").replace("count: 1", "count: 0"),
            "approval.count: must be between 1 and 10"),
        Arguments.of(
            "approval without approvers",
            PROFILE_HEAD
                + AWS
                + "    max_duration: 1h\n    requesters: 'true'\n    approval: {count: 1}\n",
            "approval.approvers: is required"),
        Arguments.of(
            "bad auto_approve CEL",
            profile(AWS, "")
                .replace("approvers: 'true'", "approvers: 'true', auto_approve: 'now >'"),
            "approval.auto_approve: CEL"),
        Arguments.of(
            "missing approval",
            PROFILE_HEAD + AWS + "    max_duration: 1h\n    requesters: 'true'\n",
            "profiles.p.approval: is required"),
        Arguments.of(
            "bad reason pattern",
            profile(AWS, "    reason: {pattern: '(('}\n"),
            "reason.pattern: not a valid regular expression"),
        Arguments.of(
            "break_glass not boolean",
            profile(AWS, "    break_glass: sometimes\n"),
            "break_glass: must be true or false"),
        Arguments.of(
            "unknown profile key",
            profile(AWS, "    max_duraton: 2h\n"),
            "profiles.p.max_duraton: unknown key"),
        Arguments.of(
            "CI rule with unknown issuer",
            profile(
                AWS,
                "ci:\n  r: {issuer: gh, profile: p, when: 'true', max_duration: 30m, approval: none}\n"),
            "ci.r.issuer: no issuer named 'gh'"),
        Arguments.of(
            "CI rule with unknown profile",
            profile(
                AWS,
                "ci:\n  r: {issuer: corp, profile: q, when: 'true', max_duration: 30m, approval: none}\n"),
            "ci.r.profile: no profile named 'q'"),
        Arguments.of(
            "CI rule longer than its profile",
            profile(
                AWS,
                "ci:\n  r: {issuer: corp, profile: p, when: 'true', max_duration: 2h, approval: none}\n"),
            "ci.r.max_duration: longer than profile 'p' allows (1h)"),
        Arguments.of(
            "CI rule on the login issuer",
            profile(
                AWS,
                "login: {issuer: corp, client_id: c}\nci:\n  r: {issuer: corp, profile: p, when: 'true', max_duration: 30m, approval: none}\n"),
            "ci.r.issuer: 'corp' is the people's login issuer"),
        Arguments.of(
            "CI rule bad approval",
            profile(
                AWS,
                "ci:\n  r: {issuer: corp, profile: p, when: 'true', max_duration: 30m, approval: maybe}\n"),
            "ci.r.approval: must be one of none, required"),
        Arguments.of(
            "CI rule without when",
            profile(
                AWS, "ci:\n  r: {issuer: corp, profile: p, max_duration: 30m, approval: none}\n"),
            "ci.r.when: is required"),
        Arguments.of(
            "login with unknown issuer",
            ISSUER + "login: {issuer: okta, client_id: c}\n",
            "login.issuer: no issuer named 'okta'"),
        Arguments.of(
            "login without client_id",
            ISSUER + "login: {issuer: corp}\n",
            "login.client_id: is required"),
        Arguments.of(
            "login without openid scope",
            ISSUER + "login: {issuer: corp, client_id: c, scopes: [email]}\n",
            "login.scopes: must include openid"),
        Arguments.of(
            "web with unknown issuer",
            ISSUER + "web: {issuer: okta, client_id: c}\n",
            "web.issuer: no issuer named 'okta'"),
        Arguments.of(
            "web without client_id",
            ISSUER + "web: {issuer: corp}\n",
            "web.client_id: is required"),
        Arguments.of(
            "web without openid scope",
            ISSUER + "web: {issuer: corp, client_id: c, scopes: [email]}\n",
            "web.scopes: must include openid"),
        Arguments.of(
            "web with an unknown key",
            ISSUER + "web: {issuer: corp, client_id: c, secret: x}\n",
            "web.secret: unknown key"),
        Arguments.of(
            "issuer use not a known value",
            "issuers:\n  corp: {issuer: https://x.example.com, audience: a, use: robots}\n",
            "issuers.corp.use: must be one of people, ci, both"),
        Arguments.of(
            "CI rule naming a people-only issuer",
            ISSUER.replace("stint}", "stint, use: people}")
                + "profiles:\n  p:\n"
                + AWS
                + REST
                + "ci:\n  r: {issuer: corp, profile: p, when: 'true', max_duration: 30m, approval: none}\n",
            "ci.r.issuer: 'corp' is for people only"),
        Arguments.of(
            "login through a CI-only issuer",
            ISSUER.replace("stint}", "stint, use: ci}") + "login: {issuer: corp, client_id: c}\n",
            "login.issuer: 'corp' is for CI only"),
        Arguments.of(
            "web sign-in through a CI issuer by default",
            "issuers:\n  gh: {issuer: https://gh.example.com, audience: s}\n"
                + "profiles:\n  p:\n"
                + AWS
                + REST
                + "ci:\n  r: {issuer: gh, profile: p, when: 'true', max_duration: 30m, approval: none}\n"
                + "web: {issuer: gh, client_id: c}\n",
            "web.issuer: 'gh' is for CI only"),
        Arguments.of(
            "auditors CEL error",
            "auditors: 'principal.groups.exists(g, g == 1'\n",
            "policy.yaml: auditors: CEL"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void refusesWithTheProblem(String name, String yaml, String expected) {
    PolicyException e =
        catchThrowableOfType(PolicyException.class, () -> PolicyFixtures.load(yaml));
    assertThat(e).as("policy should be refused").isNotNull();
    assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains(expected));
    assertThat(e.problems()).allSatisfy(p -> assertThat(p).matches("^\\S*policy\\.yaml: .+"));
  }

  @Test
  void reportsEveryProblemAtOnce() {
    String yaml =
        profile(AWS, "")
                .replace("max_duration: 1h", "max_duration: x")
                .replace("requesters: 'true'", "requesters: 'nope('")
            + "bogus: 1\n";
    PolicyException e =
        catchThrowableOfType(PolicyException.class, () -> PolicyFixtures.load(yaml));
    assertThat(e.problems()).hasSize(3);
  }

  @Test
  void sameProfileInTwoFilesIsAProblem(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("a.yaml"), profile(AWS, ""));
    Files.writeString(dir.resolve("b.yaml"), "profiles:\n  p:\n" + AWS + REST);
    assertThatThrownBy(() -> new PolicyLoader().load(dir))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("b.yaml: profiles.p: already defined in " + dir.resolve("a.yaml"));
  }

  /**
   * IAM takes both spellings for one role, but stint would keep each one's revocations apart and
   * write the role's denies from one spelling without the other's.
   */
  @Test
  void oneRoleWrittenTwoWaysIsAProblemAndWrittenOneWayIsNot() {
    String other = "  q:\n    aws: {role_arn: \"arn:aws:iam::111122223333:role/ops/R\"}\n" + REST;
    PolicyException e =
        catchThrowableOfType(
            PolicyException.class, () -> PolicyFixtures.load(profile(AWS, "") + other));
    assertThat(e).isNotNull();
    assertThat(e.problems())
        .anySatisfy(
            p ->
                assertThat(p)
                    .contains(
                        "profiles.q.aws.role_arn: names the role of profile 'p'"
                            + " (arn:aws:iam::111122223333:role/r) written another way"));

    String same = "  q:\n" + AWS + REST;
    String otherAccount =
        "  s:\n    aws: {role_arn: \"arn:aws:iam::444455556666:role/R\"}\n" + REST;
    assertThat(PolicyFixtures.load(profile(AWS, "") + same + otherAccount).profiles()).hasSize(3);
  }

  @Test
  void emptyOrMissingDirectoriesAreRefused(@TempDir Path dir) {
    assertThatThrownBy(() -> new PolicyLoader().load(dir))
        .hasMessageContaining("no policy files (*.yaml) found");
    assertThatThrownBy(() -> new PolicyLoader().load(dir.resolve("nope")))
        .hasMessageContaining("policy directory does not exist");
  }

  @Test
  void theShippedPoliciesLoadWithEveryCloudAndRule() {
    Policy policy = new PolicyLoader().load(Path.of("policies"));
    assertThat(policy.files())
        .extracting(p -> p.getFileName().toString())
        .containsExactly("aws.yaml", "ci.yaml", "gcp-azure.yaml", "stint.yaml");
    assertThat(policy.profiles().values())
        .extracting(p -> p.target().cloud())
        .contains("aws", "gcp", "azure");
    AwsTarget web = (AwsTarget) policy.profile("aws-prod-readonly").orElseThrow().target();
    assertThat(web.mode()).isEqualTo(AwsTarget.Mode.WEB_IDENTITY);
    assertThat(web.region()).contains("eu-west-1");
    GcpTarget gcp = (GcpTarget) policy.profile("gcp-prod-viewer").orElseThrow().target();
    assertThat(gcp.scopes())
        .containsExactly("https://www.googleapis.com/auth/cloud-platform.read-only");
    assertThat(policy.ci())
        .extracting(CiRule::name)
        .containsExactly("api-deploy-prod", "infra-deploy-prod");
    assertThat(policy.ci().get(0).jtiRequired()).isTrue();
    assertThat(policy.issuer("github").orElseThrow().maxTokenLifetime())
        .isEqualTo(Duration.ofHours(1));
    assertThat(policy.issuer("corp").orElseThrow().algorithms())
        .isEqualTo(List.of("RS256", "ES256"));
    assertThat(policy.login().orElseThrow().clientId()).isEqualTo("stint-cli");
    assertThat(policy.web().orElseThrow().clientId()).isEqualTo("stint-web");
    assertThat(policy.contentHash()).hasSize(64);
  }

  @Test
  void anIssuerIsForPeopleUnlessACiRuleNamesItOrItSaysOtherwise() {
    Policy p =
        PolicyFixtures.load(
            "issuers:\n"
                + "  corp: {issuer: https://corp.example.com, audience: s}\n"
                + "  gh: {issuer: https://gh.example.com, audience: s}\n"
                + "  gl: {issuer: https://gl.example.com, audience: s, use: both}\n"
                + "  idp: {issuer: https://idp.example.com, audience: s, use: ci}\n"
                + "profiles:\n  p:\n"
                + AWS
                + REST
                + "ci:\n  r: {issuer: gh, profile: p, when: 'true', max_duration: 30m, approval: none}\n"
                + "  s: {issuer: gl, profile: p, when: 'true', max_duration: 30m, approval: none}\n");
    assertThat(p.issuer("corp").orElseThrow().uses()).containsExactly(IssuerUse.PEOPLE);
    assertThat(p.issuer("gh").orElseThrow().uses()).containsExactly(IssuerUse.CI);
    assertThat(p.issuer("gl").orElseThrow().uses())
        .containsExactlyInAnyOrder(IssuerUse.PEOPLE, IssuerUse.CI);
    assertThat(p.issuer("idp").orElseThrow().uses()).containsExactly(IssuerUse.CI);
  }

  @Test
  void loopbackIssuersMayUsePlainHttp() {
    Policy p =
        PolicyFixtures.load(
            "issuers:\n  a: {issuer: 'http://127.0.0.1:8080/x', audience: s}\n"
                + "  b: {issuer: 'http://localhost:1', audience: s}\n  c: {issuer: 'http://[::1]:9/', audience: s}\n");
    assertThat(p.issuers()).hasSize(3);
  }
}
