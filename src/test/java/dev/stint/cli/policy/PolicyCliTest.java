package dev.stint.cli.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code stint policy check|explain|test} on the shipped policies and on broken ones. */
class PolicyCliTest {
  @TempDir Path home;

  CliRun run(String... args) {
    return CliRun.run(
        home, Map.of(), Clock.fixed(Instant.parse("2026-03-04T10:00:00Z"), ZoneOffset.UTC), args);
  }

  @Test
  void checkAcceptsTheShippedPolicies() {
    CliRun r = run("policy", "check", "policies");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("policies: ok (4 file(s), 2 issuer(s), 6 profile(s), 2 CI rule(s))");
  }

  @Test
  void theShippedPoliciesNameNoIdentityProviderButPlaceholders() {
    CliRun r = run("policy", "check", "--require-identity-provider", "policies");
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.out()).contains("policies: ok (");
    assertThat(r.err())
        .isEqualTo(
            "stint: policies: no identity provider: corp (https://login.example.com) is a"
                + " placeholder; set issuers.NAME.issuer to your IdP (docs/configuration.md,"
                + " \"Your identity provider\")\n");
    assertThat(run("policy", "check", "policies").exitCode()).as("without the option").isZero();
  }

  @Test
  void anIdentityProviderThatIsNotAPlaceholderIsEnough() throws Exception {
    Path dir = Files.createDirectory(home.resolve("real"));
    Files.writeString(
        dir.resolve("a.yaml"),
        """
        issuers:
          corp: {issuer: https://login.example.com, audience: stint}
          okta: {issuer: https://acme.okta.com, audience: stint}
        profiles: {}
        """);
    assertThat(run("policy", "check", "--require-identity-provider", dir.toString()).exitCode())
        .isZero();
    Path ci = Files.createDirectory(home.resolve("ci-only"));
    Files.writeString(
        ci.resolve("a.yaml"),
        """
        issuers:
          github: {issuer: https://token.actions.githubusercontent.com, audience: stint, use: ci}
        profiles: {}
        """);
    assertThat(run("policy", "check", "--require-identity-provider", ci.toString()).exitCode())
        .as("a policy for CI alone names no placeholder")
        .isZero();
  }

  @Test
  void aBrokenPolicyIsStillExit1WithTheOption() throws Exception {
    Path dir = Files.createDirectory(home.resolve("broken"));
    Files.writeString(dir.resolve("a.yaml"), "profilez: {}\n");
    assertThat(run("policy", "check", "--require-identity-provider", dir.toString()).exitCode())
        .isEqualTo(1);
  }

  @Test
  void checkListsEveryProblemAndExits1() throws Exception {
    Path dir = Files.createDirectory(home.resolve("bad"));
    Files.writeString(
        dir.resolve("a.yaml"),
        """
        issuers:
          corp: {issuer: http://idp.example.com}
        profiles:
          p: {aws: {role_arn: nope}, max_duration: 1h, requesters: 'x(', approval: {count: 1, approvers: 'true'}}
        """);
    CliRun r = run("policy", "check", dir.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .contains(
            dir.resolve("a.yaml") + ": issuers.corp.issuer: must use https",
            dir.resolve("a.yaml") + ": issuers.corp.audience: is required",
            dir.resolve("a.yaml") + ": profiles.p.aws.role_arn: must be an IAM role ARN",
            dir.resolve("a.yaml") + ": profiles.p.requesters: CEL",
            "stint: " + dir + ": 4 policy problem(s)");
  }

  @Test
  void checkRefusesAMisspeltFieldAndATypeErrorNamingFileAndKey() throws Exception {
    Path dir = Files.createDirectory(home.resolve("typed"));
    Files.writeString(
        dir.resolve("prod.yaml"),
        """
        profiles:
          aws-prod-admin:
            aws: {role_arn: "arn:aws:iam::111122223333:role/prod-admin"}
            max_duration: 1h
            requesters: 'request.duration_seconds > "1h"'
            approval: {count: 1, approvers: 'principal.group.exists(g, g == "sre")'}
        """);
    CliRun r = run("policy", "check", dir.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).doesNotContain("ok");
    assertThat(r.err())
        .contains(
            dir.resolve("prod.yaml")
                + ": profiles.aws-prod-admin.approval.approvers: CEL: undefined field 'group'",
            dir.resolve("prod.yaml")
                + ": profiles.aws-prod-admin.requesters: CEL: found no matching overload for '_>_'",
            "stint: " + dir + ": 2 policy problem(s)");
  }

  @Test
  void checkNamesTheLineAndColumnOfAYamlSyntaxError() throws Exception {
    Path dir = Files.createDirectory(home.resolve("syntax"));
    Files.writeString(dir.resolve("x.yaml"), "auditors: 'true'\nadmins: a: b\n");
    CliRun r = run("policy", "check", dir.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .contains(
            dir.resolve("x.yaml")
                + ": line 2, column 10: not valid YAML: mapping values are not allowed here");
  }

  @Test
  void shippedPolicyTestsPass() {
    CliRun r = run("policy", "test", "policies/tests");
    assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
    assertThat(r.out())
        .contains("PASS people.yaml: nobody approves their own request")
        .contains(
            "PASS people.yaml: read-only production needs an approver at 18:30 in Berlin (17:30 UTC)")
        .containsPattern("\\d+ passed, 0 failed");
  }

  @Test
  void aTestFileThatIsNotYamlNamesItsLineAndColumn() throws Exception {
    Path tests = Files.createDirectory(home.resolve("broken-tests"));
    Files.writeString(tests.resolve("t.yaml"), "cases:\n  - name: x\n    when: [unclosed\n");

    CliRun r = run("policy", "test", tests.toString(), "--policies", "policies");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .containsPattern(
            Pattern.quote(tests.resolve("t.yaml").toString())
                + ": line \\d+, column \\d+: not valid YAML: ");
  }

  @Test
  void aFailingCaseFailsTheRunWithTheActualDecision() throws Exception {
    Path tests = Files.createDirectory(home.resolve("tests"));
    Files.writeString(
        tests.resolve("t.yaml"),
        """
        cases:
          - name: wrong expectation
            issuer: corp
            claims: {sub: bob, groups: [eng]}
            profile: aws-prod-admin
            action: request
            reason: INC-1
            expect: allow
          - name: right expectation
            issuer: corp
            claims: {sub: bob, groups: [eng]}
            profile: aws-prod-admin
            action: request
            expect: deny
            expect_reason: not allowed to request
          - name: typo in a key
            issuer: corp
            claims: {sub: bob}
            action: audit
            expekt: deny
        """);
    CliRun r = run("policy", "test", tests.toString(), "--policies", "policies");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out())
        .contains(
            "FAIL t.yaml: wrong expectation: expected allow, got deny (you are not allowed to request profile 'aws-prod-admin')",
            "PASS t.yaml: right expectation",
            "FAIL t.yaml: typo in a key: unknown key(s) [expekt]",
            "1 passed, 2 failed");
  }

  @Test
  void escalationIsAskedWithTheRequestsAge() throws Exception {
    Path policies = Files.createDirectory(home.resolve("escalating"));
    Files.writeString(
        policies.resolve("p.yaml"),
        """
        issuers:
          corp: {issuer: https://login.example.com, audience: stint}
        profiles:
          prod:
            aws: {role_arn: "arn:aws:iam::111122223333:role/prod"}
            max_duration: 1h
            requesters: 'true'
            approval:
              count: 1
              approvers: 'principal.groups.exists(g, g == "leads")'
              escalate_after: 2h
              escalate_to: 'principal.groups.exists(g, g == "directors")'
        """);
    Path tests = Files.createDirectory(home.resolve("tests"));
    Files.writeString(
        tests.resolve("escalation.yaml"),
        """
        cases:
          - name: a director waits for the escalation
            issuer: corp
            claims: {sub: dana, groups: [directors]}
            profile: prod
            action: approve
            age: 1h59m
            expect: deny
            expect_reason: escalates only at
          - name: a director approves once it escalated
            issuer: corp
            claims: {sub: dana, groups: [directors]}
            profile: prod
            action: approve
            age: 2h
            expect: allow
            expect_reason: escalated to you
          - name: a request of unknown age has not escalated
            issuer: corp
            claims: {sub: dana, groups: [directors]}
            profile: prod
            action: deny
            expect: deny
          - name: escalation never lets the requester approve
            issuer: corp
            claims: {sub: dana, groups: [directors]}
            profile: prod
            action: approve
            requester: {sub: dana}
            age: 3h
            expect: deny
            expect_reason: never approve their own request
          - name: a negative age
            issuer: corp
            claims: {sub: dana, groups: [directors]}
            profile: prod
            action: approve
            age: -1h
            expect: deny
        """);
    CliRun r = run("policy", "test", tests.toString(), "--policies", policies.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out())
        .contains(
            "PASS escalation.yaml: a director waits for the escalation",
            "PASS escalation.yaml: a director approves once it escalated",
            "PASS escalation.yaml: a request of unknown age has not escalated",
            "PASS escalation.yaml: escalation never lets the requester approve",
            "FAIL escalation.yaml: a negative age:",
            "4 passed, 1 failed");
  }

  static final String FACTS_POLICY =
      """
      issuers:
        corp: {issuer: https://login.example.com, audience: stint}
      profiles:
        prod:
          aws: {role_arn: "arn:aws:iam::111122223333:role/prod"}
          max_duration: 1h
          requesters: 'true'
          approval:
            count: 1
            approvers: 'oncall("PSRE001")'
            auto_approve: 'oncall("PPLAT01") && ticket.exists && ticket.status_category != "done"'
      """;

  @Test
  void casesGiveFactsAsFixturesAndAFactNotGivenFailsTheCase() throws Exception {
    Path policies = Files.createDirectory(home.resolve("facts"));
    Files.writeString(policies.resolve("p.yaml"), FACTS_POLICY);
    Path tests = Files.createDirectory(home.resolve("fact-tests"));
    Files.writeString(
        tests.resolve("oncall.yaml"),
        """
        cases:
          - name: on call with an open ticket is approved at once
            issuer: corp
            claims: {sub: alice, email: alice@example.com}
            profile: prod
            action: auto_approve
            facts: {oncall: {PPLAT01: true}, ticket: {status_category: indeterminate}}
            expect: allow
          - name: a closed ticket is not
            issuer: corp
            claims: {sub: alice, email: alice@example.com}
            profile: prod
            action: auto_approve
            facts: {oncall: {PPLAT01: true}, ticket: {exists: true, status_category: done}}
            expect: deny
          - name: whoever is on call approves
            issuer: corp
            claims: {sub: bob}
            profile: prod
            action: approve
            facts: {oncall: {PSRE001: true}}
            expect: allow
          - name: a case that forgets the ticket
            issuer: corp
            claims: {sub: alice}
            profile: prod
            action: auto_approve
            facts: {oncall: {PPLAT01: true}}
            expect: deny
          - name: a ticket category jira does not have
            issuer: corp
            claims: {sub: alice}
            profile: prod
            action: auto_approve
            facts: {oncall: {PPLAT01: true}, ticket: {status_category: closed}}
            expect: deny
          - name: requesting reads no fact
            issuer: corp
            claims: {sub: alice}
            profile: prod
            action: request
            expect: allow
        """);
    CliRun r = run("policy", "test", tests.toString(), "--policies", policies.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out())
        .contains(
            "PASS oncall.yaml: on call with an open ticket is approved at once",
            "PASS oncall.yaml: a closed ticket is not",
            "PASS oncall.yaml: whoever is on call approves",
            "FAIL oncall.yaml: a case that forgets the ticket: this decision reads facts the case"
                + " does not give: ticket unknown (not given)",
            "FAIL oncall.yaml: a ticket category jira does not have:"
                + " facts.ticket.status_category must be new, indeterminate or done",
            "PASS oncall.yaml: requesting reads no fact",
            "4 passed, 2 failed");
  }

  static final String STAGED_POLICY =
      """
      issuers:
        corp: {issuer: https://login.example.com, audience: stint}
      profiles:
        prod:
          aws: {role_arn: "arn:aws:iam::111122223333:role/prod"}
          max_duration: 1h
          requesters: 'true'
          approval:
            stages:
              - name: lead
                count: 1
                approvers: 'principal.groups.exists(g, g == "leads")'
                skip_if: 'principal.groups.exists(g, g == "leads")'
              - name: security
                count: 1
                approvers: 'principal.groups.exists(g, g == "security")'
      """;

  @Test
  void casesAskAboutAStageAndWhetherItIsSkipped() throws Exception {
    Path policies = Files.createDirectory(home.resolve("staged"));
    Files.writeString(policies.resolve("p.yaml"), STAGED_POLICY);
    Path tests = Files.createDirectory(home.resolve("stage-tests"));
    Files.writeString(
        tests.resolve("stages.yaml"),
        """
        cases:
          - name: a lead approves the first stage
            issuer: corp
            claims: {sub: lee, groups: [leads]}
            profile: prod
            action: approve
            expect: allow
          - name: security waits for the lead
            issuer: corp
            claims: {sub: sam, groups: [security]}
            profile: prod
            action: approve
            expect: deny
          - name: security approves its own stage
            issuer: corp
            claims: {sub: sam, groups: [security]}
            profile: prod
            action: approve
            stage: security
            expect: allow
          - name: a lead's own request skips the lead stage
            issuer: corp
            claims: {sub: lee, groups: [leads]}
            profile: prod
            action: skip
            stage: lead
            expect: allow
          - name: an engineer's does not
            issuer: corp
            claims: {sub: eve, groups: [eng]}
            profile: prod
            action: skip
            stage: lead
            expect: deny
          - name: a stage the profile does not have
            issuer: corp
            claims: {sub: sam}
            profile: prod
            action: approve
            stage: finance
            expect: deny
        """);
    CliRun r = run("policy", "test", tests.toString(), "--policies", policies.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out())
        .contains(
            "PASS stages.yaml: a lead approves the first stage",
            "PASS stages.yaml: security waits for the lead",
            "PASS stages.yaml: security approves its own stage",
            "PASS stages.yaml: a lead's own request skips the lead stage",
            "PASS stages.yaml: an engineer's does not",
            "FAIL stages.yaml: a stage the profile does not have: profile 'prod' has no stage"
                + " named 'finance'",
            "5 passed, 1 failed");

    Path claims = home.resolve("sam.json");
    Files.writeString(claims, "{\"sub\": \"sam\", \"groups\": [\"security\"]}");
    CliRun explained =
        run(
            "policy",
            "explain",
            "prod",
            "--claims",
            claims.toString(),
            "--issuer",
            "corp",
            "--dir",
            policies.toString());
    assertThat(explained.exitCode()).as(explained.err()).isZero();
    assertThat(explained.out())
        .containsPattern("approve lead +DENY +you are not an approver of stage 'lead'")
        .containsPattern("approve security +ALLOW")
        .containsPattern("skip lead +DENY +stage 'lead' is not skipped");
  }

  @Test
  void explainShowsTheFactsEachDecisionRead() throws Exception {
    Path policies = Files.createDirectory(home.resolve("explain-facts"));
    Files.writeString(policies.resolve("p.yaml"), FACTS_POLICY);
    Path claims = home.resolve("claims.json");
    Files.writeString(claims, "{\"sub\": \"alice\", \"email\": \"alice@example.com\"}");
    Path facts = home.resolve("facts.yaml");
    Files.writeString(
        facts, "oncall: {PPLAT01: true}\nticket: {key: OPS-1, status_category: new}\n");
    CliRun r = explainWithFacts(policies, claims, facts);
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .containsPattern("auto_approve +ALLOW")
        .contains("facts read: oncall(PPLAT01) true; ticket OPS-1 status_category new")
        .contains("facts read: oncall(PSRE001) unknown (not given)");

    Files.writeString(facts, "oncall: {PPLAT01: true}\nticket: {status_category: new}\n");
    CliRun keyless = explainWithFacts(policies, claims, facts);
    assertThat(keyless.out())
        .as("a ticket the facts file gives without a key is still given")
        .contains("facts read: oncall(PPLAT01) true; the ticket status_category new")
        .doesNotContain("no ticket given");

    Files.writeString(facts, "oncall: {PPLAT01: maybe}\n");
    CliRun bad = explainWithFacts(policies, claims, facts);
    assertThat(bad.exitCode()).isNotZero();
    assertThat(bad.err()).contains("facts.oncall.PPLAT01 must be true or false");
  }

  static final String OWN_FACTS_POLICY =
      """
      issuers:
        corp: {issuer: https://login.example.com, audience: stint}
      profiles:
        prod:
          aws: {role_arn: "arn:aws:iam::111122223333:role/prod"}
          max_duration: 1h
          requesters: 'fact("employee")'
          approval:
            count: 1
            approvers: 'fact("team", "payments")'
            auto_approve: 'fact("change_open") && fact("team", "payments")'
      """;

  /** The server's own providers' facts are given as fixtures too, and one not given fails. */
  @Test
  void casesGiveTheServersOwnFactsAndOneNotGivenFailsTheCase() throws Exception {
    Path policies = Files.createDirectory(home.resolve("own-facts"));
    Files.writeString(policies.resolve("p.yaml"), OWN_FACTS_POLICY);
    Path tests = Files.createDirectory(home.resolve("own-fact-tests"));
    Files.writeString(
        tests.resolve("own.yaml"),
        """
        cases:
          - name: an open change of the payments team is approved at once
            issuer: corp
            claims: {sub: alice}
            profile: prod
            action: auto_approve
            facts: {fact: {change_open: true, team: {payments: true}}}
            expect: allow
          - name: another team is not
            issuer: corp
            claims: {sub: alice}
            profile: prod
            action: auto_approve
            facts: {fact: {change_open: true, team: {payments: false}}}
            expect: deny
          - name: a case that forgets the team
            issuer: corp
            claims: {sub: alice}
            profile: prod
            action: auto_approve
            facts: {fact: {change_open: true, team: {billing: true}}}
            expect: allow
          - name: an employee may request
            issuer: corp
            claims: {sub: alice}
            profile: prod
            action: request
            facts: {fact: {employee: true}}
            expect: allow
          - name: a fact given as text
            issuer: corp
            claims: {sub: alice}
            profile: prod
            action: request
            facts: {fact: {employee: "true"}}
            expect: allow
        """);
    CliRun r = run("policy", "test", tests.toString(), "--policies", policies.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out())
        .contains(
            "PASS own.yaml: an open change of the payments team is approved at once",
            "PASS own.yaml: another team is not",
            "FAIL own.yaml: a case that forgets the team: this decision reads facts the case"
                + " does not give: fact(team, payments) unknown (not given)",
            "PASS own.yaml: an employee may request",
            "FAIL own.yaml: a fact given as text: facts.fact.employee must be true or false",
            "3 passed, 2 failed");
  }

  @Test
  void explainShowsTheServersOwnFactsEachDecisionRead() throws Exception {
    Path policies = Files.createDirectory(home.resolve("explain-own-facts"));
    Files.writeString(policies.resolve("p.yaml"), OWN_FACTS_POLICY);
    Path claims = home.resolve("own-claims.json");
    Files.writeString(claims, "{\"sub\": \"alice\"}");
    Path facts = home.resolve("own-facts.yaml");
    Files.writeString(facts, "fact: {employee: true, change_open: true}\n");
    CliRun r = explainWithFacts(policies, claims, facts);
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .containsPattern("request +ALLOW")
        .containsPattern("auto_approve +DENY")
        .contains("facts read: fact(employee) true")
        .contains("facts read: fact(change_open) true; fact(team, payments) unknown (not given)");
  }

  CliRun explainWithFacts(Path policies, Path claims, Path facts) {
    return run(
        "policy",
        "explain",
        "prod",
        "--claims",
        claims.toString(),
        "--issuer",
        "corp",
        "--dir",
        policies.toString(),
        "--facts",
        facts.toString());
  }

  @Test
  void everyMayAboutARequestCanBeTested() throws Exception {
    Path tests = Files.createDirectory(home.resolve("tests"));
    Files.writeString(
        tests.resolve("may.yaml"),
        """
        cases:
          - name: a lead sees another's request
            issuer: corp
            claims: {sub: carol, email: carol@example.com, groups: [sre-leads]}
            profile: aws-prod-admin
            action: see
            expect: allow
          - name: a lead denies another's request
            issuer: corp
            claims: {sub: carol, groups: [sre-leads]}
            profile: aws-prod-admin
            action: deny
            expect: allow
          - name: the requester cancels
            issuer: corp
            claims: {sub: alice, groups: [sre]}
            profile: aws-prod-admin
            action: cancel
            requester: {sub: alice}
            expect: allow
          - name: an admin revokes
            issuer: corp
            claims: {sub: pat, groups: [platform]}
            profile: aws-prod-admin
            action: revoke
            expect: allow
            expect_reason: an admin
          - name: an auditor does not revoke
            issuer: corp
            claims: {sub: grace, groups: [security]}
            profile: aws-prod-admin
            action: revoke
            expect: deny
          - name: an admin reviews
            issuer: corp
            claims: {sub: pat, groups: [platform]}
            profile: aws-prod-admin
            action: review
            expect: allow
          - name: a lead does not extend another's grant
            issuer: corp
            claims: {sub: carol, groups: [sre-leads]}
            profile: aws-prod-admin
            action: extend
            expect: deny
            expect_reason: only the grant's holder
          - name: the same email under another issuer never approves
            issuer: corp
            claims: {sub: carol, email: carol@example.com, groups: [sre-leads]}
            profile: aws-prod-admin
            action: approve
            requester: {issuer: github, sub: c-2, email: CAROL@example.com}
            expect: deny
            expect_reason: never approve their own request
          - name: security reads the audit
            issuer: corp
            claims: {sub: grace, groups: [security]}
            action: read-audit
            expect: allow
          - name: wrong expectation on revoke
            issuer: corp
            claims: {sub: bob, groups: [eng]}
            profile: aws-prod-admin
            action: revoke
            expect: allow
          - name: a misspelt action
            issuer: corp
            claims: {sub: bob}
            action: revok
            expect: deny
          - name: a misspelt requester key
            issuer: corp
            claims: {sub: bob}
            profile: aws-prod-admin
            action: cancel
            requester: {sub: bob, mail: bob@example.com}
            expect: deny
          - name: an unknown requester issuer
            issuer: corp
            claims: {sub: bob}
            profile: aws-prod-admin
            action: cancel
            requester: {issuer: nowhere, sub: bob}
            expect: deny
        """);
    CliRun r = run("policy", "test", tests.toString(), "--policies", "policies");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out())
        .contains(
            "PASS may.yaml: a lead sees another's request",
            "PASS may.yaml: a lead denies another's request",
            "PASS may.yaml: the requester cancels",
            "PASS may.yaml: an admin revokes",
            "PASS may.yaml: an auditor does not revoke",
            "PASS may.yaml: an admin reviews",
            "PASS may.yaml: a lead does not extend another's grant",
            "PASS may.yaml: the same email under another issuer never approves",
            "PASS may.yaml: security reads the audit",
            "FAIL may.yaml: wrong expectation on revoke: expected allow, got deny (you may not revoke"
                + " this grant (only its requester, an approver of profile 'aws-prod-admin' or an admin may))",
            "FAIL may.yaml: a misspelt action: unknown action 'revok' (one of request, auto_approve,"
                + " see, approve, deny, cancel, revoke, review, extend, skip, exchange, read_audit, audit,"
                + " admin)",
            "FAIL may.yaml: a misspelt requester key: unknown requester key(s) [mail]",
            "FAIL may.yaml: an unknown requester issuer: requester: no issuer named 'nowhere' in the policy",
            "9 passed, 4 failed");
  }

  @Test
  void explainWithTheDirectorysGroupsJudgesByThemInPlaceOfTheTokens() throws Exception {
    CliRun r = explainBob("--directory-groups", "sre");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("groups: sre (from the directory, in place of the token's)")
        .containsPattern("request +DENY +you are not allowed to request")
        .containsPattern("approve +ALLOW");

    assertThat(explainBob("--directory-groups=").out())
        .contains("groups: none (from the directory, in place of the token's)")
        .containsPattern("request +DENY");
  }

  /** {@code policy explain aws-prod-readonly} for bob, an engineer by his token, and more. */
  CliRun explainBob(String... more) throws Exception {
    Path claims =
        Files.writeString(
            home.resolve("claims-bob.json"),
            """
            {"iss": "https://login.example.com", "sub": "bob", "email": "bob@example.com", "groups": ["eng"]}
            """);
    List<String> args =
        new ArrayList<>(
            List.of(
                "policy",
                "explain",
                "aws-prod-readonly",
                "--claims",
                claims.toString(),
                "--dir",
                "policies"));
    args.addAll(List.of(more));
    return run(args.toArray(new String[0]));
  }

  @Test
  void explainSaysWhyForEveryAction() throws Exception {
    Path claims = home.resolve("claims.json");
    Files.writeString(
        claims,
        """
        {"iss": "https://login.example.com", "sub": "bob", "email": "bob@example.com", "groups": ["eng"]}
        """);
    CliRun r =
        run(
            "policy",
            "explain",
            "aws-prod-readonly",
            "--claims",
            claims.toString(),
            "--dir",
            "policies",
            "--reason",
            "dashboards");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .contains(
            "principal: bob@example.com (issuer corp, subject bob), groups: eng (from the token)")
        .contains("at:        2026-03-04T10:00:00Z")
        .containsPattern("request +ALLOW may request profile 'aws-prod-readonly'")
        .containsPattern("approve +DENY +you are not an approver")
        .containsPattern("auto_approve +ALLOW")
        .containsPattern("exchange +DENY +no CI rule for issuer 'corp'")
        .containsPattern("audit +DENY")
        .containsPattern("revoke +DENY +you may not revoke this grant")
        .containsPattern("cancel +DENY +only the requester can cancel a request")
        .containsPattern("read_audit +DENY +reading the audit needs the auditor role");

    CliRun night =
        run(
            "policy",
            "explain",
            "aws-prod-readonly",
            "--claims",
            claims.toString(),
            "--dir",
            "policies",
            "--at",
            "2026-03-04T23:00:00Z",
            "--duration",
            "9h");
    assertThat(night.out())
        .containsPattern("request +DENY +requested duration 9h exceeds the maximum of 8h")
        .containsPattern("auto_approve +DENY");
  }

  @Test
  void explainAtAnInstantWithAnOffsetFlipsTheBerlinBusinessHoursRule() throws Exception {
    Path claims = home.resolve("claims.json");
    Files.writeString(
        claims,
        "{\"iss\": \"https://login.example.com\", \"sub\": \"bob\", \"groups\": [\"eng\"]}");
    // Monday 2026-11-23: 17:30 in Berlin is office hours (16:30 UTC), 22:00 is not.
    CliRun before =
        run(
            "policy",
            "explain",
            "aws-prod-readonly",
            "--claims",
            claims.toString(),
            "--dir",
            "policies",
            "--reason",
            "x",
            "--at",
            "2026-11-23T17:30:00+01:00");
    assertThat(before.out())
        .contains("at:        2026-11-23T16:30:00Z")
        .containsPattern("auto_approve +ALLOW");
    CliRun after =
        run(
            "policy",
            "explain",
            "aws-prod-readonly",
            "--claims",
            claims.toString(),
            "--dir",
            "policies",
            "--reason",
            "x",
            "--at",
            "2026-11-23T22:00:00+01:00");
    assertThat(after.exitCode()).as(after.err()).isZero();
    assertThat(after.out())
        .contains("at:        2026-11-23T21:00:00Z")
        .containsPattern(
            "auto_approve +DENY +the auto-approve rule of profile 'aws-prod-readonly' does not match you");
    CliRun bad =
        run(
            "policy",
            "explain",
            "aws-prod-readonly",
            "--claims",
            claims.toString(),
            "--dir",
            "policies",
            "--at",
            "tomorrow");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("--at: expected an ISO-8601 time");
  }

  @Test
  void explainRefusesUnknownIssuersAndProfiles() throws Exception {
    Path claims = home.resolve("claims.json");
    Files.writeString(claims, "{\"iss\": \"https://nowhere.example.com\", \"sub\": \"x\"}");
    CliRun r = run("policy", "explain", "aws-prod-admin", "--claims", claims.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("not a configured issuer; name one with --issuer");
    CliRun p = run("policy", "explain", "nope", "--claims", claims.toString(), "--issuer", "corp");
    assertThat(p.err()).contains("no profile named 'nope'");
  }
}
