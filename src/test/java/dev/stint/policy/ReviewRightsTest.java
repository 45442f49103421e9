package dev.stint.policy;

import static dev.stint.testing.PolicyFixtures.person;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.identity.Person;
import dev.stint.identity.Principal;
import dev.stint.testing.PolicyFixtures;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every "may" about access reviews and what they decided, allowed and refused, with the reasons, as
 * one table.
 */
class ReviewRightsTest {
  static final Instant NOON = Instant.parse("2026-03-04T12:00:00Z");
  static final String CORP = "https://login.example.com";
  static final String PARTNER = "https://partner.example.com";
  static final PolicyEvaluator EVALUATOR =
      new PolicyEvaluator(
          PolicyFixtures.load(
              """
              admins: 'principal.groups.exists(g, g == "platform")'
              auditors: 'principal.groups.exists(g, g == "security")'
              issuers:
                corp: {issuer: https://login.example.com, audience: stint}
                partner: {issuer: https://partner.example.com, audience: stint}
              profiles:
                prod:
                  aws: {role_arn: "arn:aws:iam::111122223333:role/prod"}
                  max_duration: 1h
                  requesters: 'true'
                  approval: {count: 1, approvers: 'true'}
                  access_review:
                    every: 90d
                    reviewers: 'principal.groups.exists(g, g == "leads")'
                    due_in: 14d
                    when_overdue: keep
                dev:
                  aws: {role_arn: "arn:aws:iam::111122223333:role/dev"}
                  max_duration: 1h
                  requesters: 'true'
                  approval: {count: 1, approvers: 'true'}
              """));

  static final Principal ERIN_ADMIN = person("erin", "erin@example.com", List.of("platform"));
  static final Principal PAT_ADMIN = person("pat", "pat@example.com", List.of("platform"));
  static final Principal SAM_AUDITOR = person("sam", "sam@example.com", List.of("security"));
  static final Principal BOB = person("bob", "bob@example.com", List.of("eng"));
  static final Principal LEAD = person("carol", "carol@example.com", List.of("leads"));

  /** Erin's email at another issuer, an admin there: an email only ever refuses. */
  static final Principal ERIN_ELSEWHERE = partner("e-77", Optional.of("ERIN@example.com"));

  /** Someone at the partner issuer with Erin's subject but not her email: another person. */
  static final Principal NOT_ERIN = partner("erin", Optional.of("erin.p@partner.example.com"));

  static Principal partner(String subject, Optional<String> email) {
    return new Principal(
        "partner",
        PARTNER,
        subject,
        email,
        List.of("platform"),
        Map.of("sub", subject),
        NOON.plusSeconds(3600),
        Optional.empty());
  }

  /** Erin as a restore names her: issuer and subject, no email. */
  static final Person ERIN_NAMED = new Person(CORP, "erin", Optional.empty());

  /** Erin as the review that suspended her listed her, with her email. */
  static final Person ERIN_LISTED = new Person(CORP, "erin", Optional.of("erin@example.com"));

  static final Person BOB_LISTED = new Person(CORP, "bob", Optional.of("bob@example.com"));

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("an admin restores another", PAT_ADMIN, ERIN_LISTED, true, "an admin may"),
        Arguments.of("... named without email", PAT_ADMIN, ERIN_NAMED, true, "an admin may"),
        Arguments.of("an admin, themselves", ERIN_ADMIN, ERIN_NAMED, false, "erin of " + CORP),
        Arguments.of("an admin, themselves as listed", ERIN_ADMIN, ERIN_LISTED, false, "is you"),
        Arguments.of(
            "an admin sharing the listed email at another issuer",
            ERIN_ELSEWHERE,
            ERIN_LISTED,
            false,
            "has your email, through another issuer"),
        Arguments.of(
            "... not known by email until listed",
            ERIN_ELSEWHERE,
            ERIN_NAMED,
            true,
            "an admin may"),
        Arguments.of(
            "the same subject at another issuer is someone else",
            NOT_ERIN,
            ERIN_LISTED,
            true,
            "an admin may"),
        Arguments.of("not an admin", BOB, ERIN_LISTED, false, "only admins restore eligibility"),
        Arguments.of("an auditor is no admin", SAM_AUDITOR, ERIN_LISTED, false, "only admins"),
        Arguments.of("not an admin, themselves", BOB, BOB_LISTED, false, "own eligibility"));
  }

  static Stream<Arguments> others() {
    Person carol = new Person(CORP, "carol", Optional.of("carol@example.com"));
    Person carolElsewhere = new Person(PARTNER, "c-9", Optional.of("CAROL@example.com"));
    return Stream.of(
        Arguments.of("open: an admin", "open", ERIN_ADMIN, "", null, true, "an admin may open"),
        Arguments.of("open: a reviewer", "open", LEAD, "", null, false, "only admins open"),
        Arguments.of("open: an auditor", "open", SAM_AUDITOR, "", null, false, "only admins"),
        Arguments.of("read all: an admin", "read all", ERIN_ADMIN, "", null, true, "an admin"),
        Arguments.of("read all: an auditor", "read all", SAM_AUDITOR, "", null, true, "auditor"),
        Arguments.of("read all: a reviewer", "read all", LEAD, "", null, false, "only admins and"),
        Arguments.of("read: a reviewer", "read", LEAD, "prod", null, true, "a reviewer of"),
        Arguments.of("read: an auditor", "read", SAM_AUDITOR, "prod", null, true, "an auditor"),
        Arguments.of(
            "read: a reviewer, another profile",
            "read",
            LEAD,
            "dev",
            null,
            false,
            "of profile dev"),
        Arguments.of(
            "read: a profile gone", "read", LEAD, "retired", null, false, "of profile retired"),
        Arguments.of("read: anyone else", "read", BOB, "prod", null, false, "only admins,"),
        Arguments.of("decide in: a reviewer", "decide in", LEAD, "prod", null, true, "a reviewer"),
        Arguments.of(
            "decide in: an admin is no reviewer",
            "decide in",
            ERIN_ADMIN,
            "prod",
            null,
            false,
            "you are not a reviewer of profile prod (its access_review's reviewers rule)"),
        Arguments.of(
            "decide in: a profile without a review", "decide in", LEAD, "dev", null, false, "dev"),
        Arguments.of("decide: another's item", "decide", LEAD, "prod", BOB_LISTED, true, "another"),
        Arguments.of(
            "decide: one's own item",
            "decide",
            LEAD,
            "prod",
            carol,
            false,
            "nobody decides their own eligibility: carol of " + CORP + " is you"),
        Arguments.of(
            "decide: one's own item through another issuer",
            "decide",
            LEAD,
            "prod",
            carolElsewhere,
            false,
            "nobody decides their own eligibility: c-9 of " + PARTNER));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("others")
  void answers(
      String name,
      String action,
      Principal caller,
      String profile,
      Person listed,
      boolean allowed,
      String reason) {
    ReviewRights may = EVALUATOR.reviewRights(caller, NOON);
    Decision d =
        switch (action) {
          case "open" -> may.mayOpen();
          case "read all" -> may.mayReadAll();
          case "read" -> may.mayRead(profile);
          case "decide in" -> may.mayDecideIn(profile);
          case "decide" -> may.mayDecide(listed);
          default -> throw new IllegalArgumentException(action);
        };
    assertThat(d.allowed()).as(d.reason()).isEqualTo(allowed);
    assertThat(d.reason()).contains(reason);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void restore(String name, Principal caller, Person suspended, boolean allowed, String reason) {
    Decision d = EVALUATOR.reviewRights(caller, NOON).mayRestore(suspended);
    assertThat(d.allowed()).as(d.reason()).isEqualTo(allowed);
    assertThat(d.reason()).contains(reason);
  }
}
