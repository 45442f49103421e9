package dev.stint.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.audit.AuditEvent;
import dev.stint.audit.AuditRecord;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The request page's timeline: events whose type alone does not say what happened, in words. */
class RequestDetailTest {
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
    "notify.slack.requester, Slack message to the requester delivered for request.approved",
    "notify.slack.requester_extension, Slack message to the requester delivered for"
        + " request.approved",
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
}
