package dev.stint.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.access.AccessRequest;
import dev.stint.access.AccessRequest.RequestState;
import dev.stint.access.Approvers;
import dev.stint.identity.Person;
import dev.stint.policy.Conditions;
import dev.stint.policy.Escalation;
import dev.stint.policy.Stage;
import dev.stint.testing.Requests;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The request page's "Who can approve" before any approver has signed in: the trial's page said
 * nobody could, when nobody had yet been seen. It now says that no approver has signed in yet, and
 * shows the open stage's rule (in words for the common one-group rule, always as written) so that
 * the requester knows whom to ask; once someone is seen, it names them instead.
 */
class WhoCanApproveTest {
  static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
  static final Conditions CEL = new Conditions();

  static Stage stage(String approvers, Optional<Escalation> escalation) {
    return new Stage(
        Stage.SINGLE, 1, CEL.compile(approvers), Optional.empty(), escalation, Optional.empty());
  }

  @Test
  void noApproverSeenYetSaysSoAndNamesTheGroupTheRuleAdmits() {
    String rule = "principal.groups.exists(g, g == \"data-leads\")";
    String html =
        WhoCanApprove.of(
                Requests.pending("req_1").build(),
                List.of(),
                Optional.of(stage(rule, Optional.empty())))
            .toString();

    assertThat(html)
        .contains("Who can approve</h2>")
        .contains("No approver has signed in to stint yet")
        .contains("in the last 30 days")
        .contains("Who may approve: anyone in the group <strong>data-leads</strong>")
        .contains("<code>principal.groups.exists(g, g == &quot;data-leads&quot;)</code>")
        .contains("Ask someone it admits to sign in to stint");
  }

  @Test
  void anotherRuleIsShownAsWrittenWithItsEscalationAndAsText() {
    String rule = "principal.email.endsWith(\"@example.com\") && \"sre\" in principal.groups";
    Escalation escalation =
        new Escalation(
            Duration.ofHours(1), CEL.compile("principal.groups.exists(h, h == \"</pre><b>\")"));
    String html =
        WhoCanApprove.of(
                Requests.pending("req_1").build(),
                List.of(),
                Optional.of(stage(rule, Optional.of(escalation))))
            .toString();

    assertThat(html)
        .contains("Who may approve: whoever this rule of the policy admits:")
        .contains(
            "<pre class=\"policy\"><code>principal.email.endsWith(&quot;@example.com&quot;)"
                + " &amp;&amp; &quot;sre&quot; in principal.groups</code></pre>")
        .contains("Once the request has waited 1h, also: anyone in the group")
        .contains("<strong>&lt;/pre&gt;&lt;b&gt;</strong>")
        .doesNotContain("</pre><b>");
  }

  @Test
  void aProfileThePolicyNoLongerHasStillSaysWhyNobodyIsNamed() {
    String html =
        WhoCanApprove.of(Requests.pending("req_1").build(), List.of(), Optional.empty()).toString();

    assertThat(html)
        .contains("No approver has signed in to stint yet")
        .contains("Ask an approver of this profile to sign in to stint once")
        .doesNotContain("Who may approve");
  }

  @Test
  void someoneSeenIsNamedAndTheRuleIsNotNeeded() {
    Approvers.Candidate lee =
        new Approvers.Candidate(
            new Person("https://idp", "lee", Optional.of("lee@example.com")), NOW);
    String html =
        WhoCanApprove.of(
                Requests.pending("req_1").build(),
                List.of(lee),
                Optional.of(stage("principal.groups.exists(g, g == \"sre\")", Optional.empty())))
            .toString();

    assertThat(html).contains("<li>lee@example.com").doesNotContain("signed in to stint yet");
  }

  @Test
  void aDecidedRequestHasNoSection() {
    AccessRequest approved = Requests.inState("req_1", RequestState.APPROVED).build();
    assertThat(WhoCanApprove.of(approved, List.of(), Optional.empty()).toString()).isEmpty();
  }
}
