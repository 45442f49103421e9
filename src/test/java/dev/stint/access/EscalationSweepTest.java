package dev.stint.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.access.AccessRequest.RequestState;
import dev.stint.config.DatabaseUrl;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.notify.Notification;
import dev.stint.notify.RequestNotifier;
import dev.stint.testing.AuditTables;
import dev.stint.testing.MutableClock;
import dev.stint.testing.TestIdp;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Escalation end to end against Postgres: directors may decide a prod request only once it has
 * waited two hours, never their own; the sweeper records {@code request.escalated} once per request
 * across two replicas, and not for a request already decided.
 */
class EscalationSweepTest {
  static final Instant T0 = AccessRig.T0;
  static final List<Notification> sent = Collections.synchronizedList(new ArrayList<>());
  static AccessRig rig;
  static MutableClock clock;
  static DatabaseUrl url;
  static AccessUseCases replicaA;
  static AccessUseCases replicaB;

  static String policy(TestIdp idp) {
    return "issuers:\n"
        + idp.issuerYaml("corp")
        + "profiles:\n"
        + "  prod:\n"
        + "    aws: {role_arn: \"arn:aws:iam::111122223333:role/prod-admin\", mode: assume_role}\n"
        + "    max_duration: 2h\n"
        + "    requesters: 'true'\n"
        + "    approval:\n"
        + "      count: 1\n"
        + "      approvers: 'principal.groups.exists(g, g == \"sre\")'\n"
        + "      escalate_after: 2h\n"
        + "      escalate_to: 'principal.groups.exists(g, g == \"directors\")'\n"
        + "  plain:\n"
        + "    aws: {role_arn: \"arn:aws:iam::111122223333:role/plain\", mode: assume_role}\n"
        + "    max_duration: 1h\n"
        + "    requesters: 'true'\n"
        + "    approval: {count: 1, approvers: 'principal.groups.exists(g, g == \"sre\")'}\n";
  }

  @BeforeAll
  static void start(@TempDir Path policyDir) throws Exception {
    rig = new AccessRig(policyDir, EscalationSweepTest::policy);
    clock = rig.clock;
    url = rig.url;
    replicaA = rig.replica().access();
    replicaB = rig.replica().access();
    replicaA.listen(new RequestNotifier(sent::add, AccessRig.SETTINGS::link));
    replicaB.listen(new RequestNotifier(sent::add, AccessRig.SETTINGS::link));
  }

  @AfterAll
  static void stop() throws Exception {
    rig.close();
  }

  static AccessRequest request(String profile, String user, String... groups) throws Exception {
    return AuditTables.await(
        replicaA
            .requests()
            .create(
                rig.caller(user, groups),
                new NewRequest(
                    profile,
                    Duration.ofHours(1),
                    "INC-1",
                    Optional.empty(),
                    Optional.empty(),
                    false)));
  }

  static List<String> events(String id) throws Exception {
    return AuditTables.strings(
        url, "SELECT type FROM audit_events WHERE request_id = '" + id + "' ORDER BY seq");
  }

  static Future<AccessRequest> approve(String id, String user, String... groups) {
    return replicaB
        .decisions()
        .decide(rig.caller(user, groups), id, Action.APPROVE, Optional.empty());
  }

  static void sweepBoth() throws Exception {
    AuditTables.await(Future.all(replicaA.sweeps().sweep(), replicaB.sweeps().sweep()));
  }

  @Test
  void aDirectorDecidesOnlyAfterTheWaitAndTheEscalationIsRecordedOnce() throws Exception {
    clock.set(T0);
    AccessRequest r = request("prod", "alice", "eng");
    AccessRequest plain = request("plain", "alice", "eng");

    clock.set(T0.plus(Duration.ofHours(2)).minusSeconds(1));
    sweepBoth();
    assertThat(AuditTables.failure(approve(r.id(), "dana", "directors")))
        .isInstanceOfSatisfying(
            StintException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    assertThat(events(r.id())).containsExactly("request.created", "request.refused");

    clock.set(T0.plus(Duration.ofHours(2)));
    sweepBoth();
    sweepBoth();
    assertThat(events(r.id()))
        .containsExactly("request.created", "request.refused", "request.escalated");
    assertThat(
            AuditTables.strings(
                url,
                "SELECT actor_subject || ' | ' || reason || ' | '"
                    + " || (details ->> 'escalate_to') FROM audit_events WHERE type = 'request.escalated'"
                    + " AND request_id = '"
                    + r.id()
                    + "'"))
        .containsExactly(
            "system | nobody decided within"
                + " 2h; escalate_to may now approve or deny it"
                + " | principal.groups.exists(g, g == \"directors\")");
    assertThat(events(plain.id())).containsExactly("request.created");
    List<Notification> told =
        List.copyOf(sent).stream()
            .filter(n -> n.request().id().equals(r.id()) && n.event().equals("request.escalated"))
            .toList();
    assertThat(told).hasSize(1);
    assertThat(told.get(0).summary())
        .isEqualTo(
            "alice@example.com's request for prod for 1h"
                + " escalated: nobody decided in time, so more people may now approve it");
    assertThat(replicaA.requests().escalated(r)).isPresent();
    assertThat(replicaA.requests().escalated(plain)).isEmpty();

    AccessRequest approved = AuditTables.await(approve(r.id(), "dana", "directors"));
    assertThat(approved.state()).isEqualTo(RequestState.APPROVED);
    assertThat(AuditTables.failure(approve(plain.id(), "dana", "directors")))
        .isInstanceOfSatisfying(
            StintException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
  }

  @Test
  void theRequesterNeverApprovesThroughEscalation() throws Exception {
    clock.set(T0.plus(Duration.ofDays(2)));
    AccessRequest r = request("prod", "dan", "eng", "directors");
    clock.set(T0.plus(Duration.ofDays(2)).plus(Duration.ofHours(3)));
    sweepBoth();
    assertThat(events(r.id())).contains("request.escalated");
    assertThat(AuditTables.failure(approve(r.id(), "dan", "eng", "directors")))
        .isInstanceOfSatisfying(
            StintException.class,
            e -> assertThat(e.getMessage()).contains("cannot approve your own request"));
    assertThat(AuditTables.await(replicaA.requests().get(rig.caller("dan", "eng"), r.id())).state())
        .isEqualTo(RequestState.PENDING);
  }

  @Test
  void aRequestDecidedBeforeTheWaitIsNeverEscalated() throws Exception {
    clock.set(T0.plus(Duration.ofDays(4)));
    AccessRequest r = request("prod", "erin", "eng");
    AuditTables.await(
        replicaA
            .decisions()
            .decide(rig.caller("carol", "sre"), r.id(), Action.DENY, Optional.empty()));
    clock.set(T0.plus(Duration.ofDays(4)).plus(Duration.ofHours(5)));
    sweepBoth();
    assertThat(events(r.id())).containsExactly("request.created", "request.denied");
  }
}
