package dev.stint.finding;

import static dev.stint.testing.AuditTables.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.outbox.DurableListener;
import dev.stint.testing.AuditTables;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What follows a finding: a dry run is recorded ({@code finding.raised}) and nothing else, nobody
 * told and nothing ended, whatever the policy says by then; a live one is acted on as it was
 * recorded, the lease ended when a lease's key made the call, else the grant revoked, once however
 * often it is delivered, then {@code finding.acted}.
 */
class FindingActsTest {
  private FindingRig rig;
  private final List<String> told = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    rig = new FindingRig();
    rig.outbox.register(
        new NewsListener(
            new FindingNews() {
              @Override
              public String name() {
                return "test.news";
              }

              @Override
              public Future<Void> tell(Finding finding, DurableListener.Delivery delivery) {
                told.add(finding.id());
                return Future.succeededFuture();
              }
            }));
  }

  @AfterEach
  void tearDown() throws Exception {
    rig.close();
  }

  long audited(String type) throws Exception {
    return AuditTables.count(rig.url, "type = '" + type + "'");
  }

  Finding raised(String findings, String key) throws Exception {
    rig.policies.replace(FindingRig.policy(findings));
    rig.push("escape", key, Instant.now());
    await(rig.judging.once());
    return rig.findings().get(0);
  }

  @Test
  void aDryRunIsRecordedAndNothingElseWhateverThePolicySaysByThen() throws Exception {
    Finding f = raised("{mode: dry_run, rules: {escape: {action: end}}}", FindingRig.LEASE_KEY);
    assertThat(f.mode().code()).isEqualTo("dry_run");
    assertThat(f.action()).isEqualTo(Finding.Action.NONE);

    rig.policies.replace(FindingRig.policy("{rules: {escape: {action: end}}}"));
    rig.deliver();
    rig.deliver();

    assertThat(rig.count("SELECT count(*) FROM outbox WHERE listener = 'test.news'")).isZero();
    assertThat(told).isEmpty();
    assertThat(rig.ended).isEmpty();
    assertThat(audited("finding.raised")).isEqualTo(1);
    assertThat(audited("finding.acted")).isZero();
    assertThat(rig.findings().get(0).actedAt()).isEmpty();
  }

  @Test
  void theRaisedEventCarriesTheFindingsFields() throws Exception {
    Finding f = raised("{rules: {escape: {severity: medium}}}", FindingRig.LEASE_KEY);
    rig.deliver();

    List<String> row =
        AuditTables.strings(
            rig.url,
            "SELECT concat_ws('|', request_id, grant_id, profile, actor_subject, reason,"
                + " details->>'finding_id', details->>'rule', details->>'severity',"
                + " details->>'mode', details->>'lease_id', details->>'action',"
                + " details->'person'->>'subject', details->'events'->0->>'event_name')"
                + " FROM audit_events WHERE type = 'finding.raised'");
    assertThat(row)
        .containsExactly(
            String.join(
                "|",
                "req_1",
                "grt_1",
                "prod",
                "system",
                f.why(),
                f.id(),
                "escape",
                "medium",
                "live",
                FindingRig.LEASE,
                "notified",
                "alice",
                "CreateAccessKey"));
  }

  @Test
  void aLiveNotifyFindingIsToldAndRecordedAsActed() throws Exception {
    Finding f = raised("", FindingRig.GRANT_KEY);
    assertThat(f.action()).isEqualTo(Finding.Action.NOTIFIED);
    assertThat(rig.count("SELECT count(*) FROM outbox WHERE listener = 'test.news'")).isEqualTo(1);

    rig.deliver();

    assertThat(rig.ended).isEmpty();
    assertThat(audited("finding.acted")).isEqualTo(1);
    assertThat(rig.findings().get(0).actedAt()).isPresent();
  }

  @Test
  void aLiveEndOnALeasesCallEndsThatLeaseOnceHoweverOftenDelivered() throws Exception {
    Finding f = raised("{rules: {escape: {action: end}}}", FindingRig.LEASE_KEY);
    assertThat(f.action()).isEqualTo(Finding.Action.LEASE_ENDED);
    rig.policies.replace(FindingRig.policy("{mode: dry_run}"));

    rig.deliver();
    rig.deliver();

    assertThat(rig.ended).containsExactly("lease " + FindingRig.LEASE + " " + f.id());
    assertThat(audited("finding.raised")).isEqualTo(1);
    assertThat(audited("finding.acted")).isEqualTo(1);
  }

  @Test
  void aLiveEndOnAGrantsOwnCallRevokesThatGrant() throws Exception {
    Finding f = raised("{rules: {escape: {action: end}}}", FindingRig.GRANT_KEY);
    assertThat(f.action()).isEqualTo(Finding.Action.GRANT_REVOKED);

    rig.deliver();

    assertThat(rig.ended).containsExactly("grant req_1 " + f.id());
  }
}
