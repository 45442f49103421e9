package dev.stint.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.access.AccessRequest;
import dev.stint.access.AccessRequest.ApprovalStage;
import dev.stint.access.Approvers;
import dev.stint.access.NewRequest.Narrowed;
import dev.stint.audit.AuditEvent;
import dev.stint.audit.AuditRecord;
import dev.stint.common.FilledDocument;
import dev.stint.common.ParameterValues;
import dev.stint.identity.Person;
import dev.stint.testing.Requests;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The request page's timeline: events whose type alone does not say what happened, in words. */
class RequestDetailTest {
  static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

  private static AuditRecord record(AuditEvent e) {
    return new AuditRecord(1, UUID.randomUUID(), Instant.parse("2026-11-26T12:00:00Z"), e, "", "");
  }

  private static AuditEvent delivery(String listener) {
    return AuditEvent.builder("outbox.delivered")
        .actor(AuditEvent.Actor.SYSTEM)
        .requestId("req_1")
        .outcome("ok")
        .reason("delivered")
        .detail("listener", listener)
        .detail("event", "request.approved")
        .build();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({
    "notify.slack.app, Slack message delivered for request.approved",
    "notify.slack, Slack message delivered for request.approved",
    "notify.slack.requester, Slack message to the requester (if their Slack is linked) delivered"
        + " for request.approved",
    "notify.slack.requester_extension, Slack message to the requester (if their Slack is linked)"
        + " delivered for request.approved",
    "notify.teams, Teams message delivered for request.approved",
    "notify.webhook.0123456789ab, webhook delivered for request.approved",
    "revocation, IAM deny delivered for request.approved",
    "sink.someday, sink.someday delivered for request.approved"
  })
  void aDeliveryNamesWhatWasDelivered(String listener, String line) {
    String html = RequestDetail.timeline(List.of(record(delivery(listener)))).toString();
    assertThat(html)
        .contains("<strong>" + line + "</strong>")
        .contains("(outbox.delivered)")
        .doesNotContain("· ok")
        .doesNotContain("· <span class=\"reason\">delivered");
  }

  @Test
  void anExtensionsApprovalIsNamedAsOneWithTheApproversComment() {
    AuditEvent e =
        AuditEvent.builder("approval.recorded")
            .actor("corp", "bob", "bob@example.com")
            .requestId("req_1")
            .outcome("ok")
            .reason("fine by bob")
            .detail("extension_id", "ext_9")
            .detail("extension_reason", "INC-9 needs longer")
            .build();
    assertThat(RequestDetail.timeline(List.of(record(e))).toString())
        .contains("<strong>extension ext_9 approval recorded</strong>")
        .contains("by bob@example.com")
        .contains("fine by bob")
        .doesNotContain("INC-9 needs longer");
  }

  @Test
  void otherEventsKeepTheirTypeOutcomeAndReason() {
    AuditEvent e =
        AuditEvent.builder("grant.revoked")
            .actor("corp", "alice", "alice@example.com")
            .requestId("req_1")
            .outcome("ok")
            .reason("done <now>")
            .build();
    assertThat(RequestDetail.timeline(List.of(record(e))).toString())
        .contains("<strong>grant.revoked</strong> by alice@example.com · ok")
        .contains("<span class=\"reason\">done &lt;now&gt;</span>");
  }

  @Test
  void anApprovalInStagesListsTheStagesAndMarksTheOpenOne() {
    AccessRequest r =
        Requests.pending("req_1")
            .stages(new ApprovalStage("lead", 1, false), new ApprovalStage("security", 2, false))
            .build();
    String page =
        RequestDetail.page(r, List.of(), Html.empty(), Html.empty(), Html.empty(), NOW).toString();
    assertThat(page)
        .contains(
            "<dt>Stages</dt><dd><ol class=\"stages\"><li aria-current=\"step\"><strong>lead</strong>:"
                + " 0 of 1, open</li><li>security: 0 of 2, waiting</li></ol></dd>");
    String approvers =
        WhoCanApprove.of(
                r,
                List.of(
                    new Approvers.Candidate(
                        new Person("https://idp", "lee", Optional.of("lee@example.com")), NOW)),
                Optional.empty())
            .toString();
    assertThat(approvers).contains("Who can approve in stage lead</h2>");
    String single =
        RequestDetail.page(
                Requests.pending("req_2").build(),
                List.of(),
                Html.empty(),
                Html.empty(),
                Html.empty(),
                NOW)
            .toString();
    assertThat(single).doesNotContain("Stages");
  }

  private static String pageOf(AccessRequest r) {
    return RequestDetail.page(
            r, List.of(), Html.of("<form id=\"decide\"></form>"), Html.empty(), Html.empty(), NOW)
        .toString();
  }

  @Test
  void aNarrowedRequestShowsItsValuesAndItsPolicyAboveTheButtons() {
    FilledDocument policy =
        new FilledDocument(
            "[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::team-logs/*\"}]");
    AccessRequest r =
        Requests.pending("req_n")
            .narrowed(
                new Narrowed(
                    ParameterValues.of(Map.of("bucket", "team-logs", "prefix", "app")),
                    Optional.of(policy)))
            .build();
    String page = pageOf(r);
    assertThat(page)
        .contains("<dt>bucket</dt><dd><code>team-logs</code></dd>")
        .contains("<dt>prefix</dt><dd><code>app</code></dd>")
        .contains("<pre class=\"policy\">" + Html.escape(policy.pretty()) + "</pre>")
        .contains("&quot;Resource&quot; : &quot;arn:aws:s3:::team-logs/*&quot;")
        .contains("SHA-256 <code class=\"sha\">" + policy.sha256() + "</code>");
    assertThat(page.indexOf("Narrowed to")).isLessThan(page.indexOf("<form id=\"decide\">"));
    assertThat(pageOf(Requests.pending("req_plain").build())).doesNotContain("Narrowed to");
  }

  /**
   * Filing refuses such a value, and the policy is the JSON writer's: the page escapes them anyway,
   * so a request row written some other way still cannot add markup.
   */
  @Test
  void aValueOrPolicyWithMarkupIsShownAsText() {
    String evil = "</pre><script>alert(1)</script>&\"'`";
    AccessRequest r =
        Requests.pending("req_x")
            .narrowed(
                new Narrowed(
                    ParameterValues.of(Map.of("bucket", evil)),
                    Optional.of(
                        new FilledDocument(
                            "[{\"Resource\":\"" + evil.replace("\"", "\\\"") + "\"}]"))))
            .build();
    String page = pageOf(r);
    assertThat(page)
        .doesNotContain("<script>")
        .doesNotContain("</pre><script")
        .contains(
            "<dd><code>&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;&#39;&#96;</code></dd>")
        .contains("&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;\\&quot;&#39;&#96;");
    assertThat(page.split("<pre", -1)).hasSize(2);
  }
}
