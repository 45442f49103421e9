package dev.stint.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.config.DatabaseUrl;
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
 * Reminders against Postgres, swept by two replicas at once: a pending request is re-notified once
 * per {@code remind_after}, never before, never twice for one interval, and never once it is
 * decided; a profile without {@code remind_after} is never reminded.
 */
class ReminderSweepTest {
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
        + "  db:\n"
        + "    aws: {role_arn: \"arn:aws:iam::111122223333:role/db\", mode: assume_role}\n"
        + "    max_duration: 2h\n"
        + "    requesters: 'true'\n"
        + "    approval:\n"
        + "      count: 2\n"
        + "      approvers: 'principal.groups.exists(g, g == \"sre\")'\n"
        + "      remind_after: 1h\n"
        + "  plain:\n"
        + "    aws: {role_arn: \"arn:aws:iam::111122223333:role/plain\", mode: assume_role}\n"
        + "    max_duration: 1h\n"
        + "    requesters: 'true'\n"
        + "    approval: {count: 1, approvers: 'principal.groups.exists(g, g == \"sre\")'}\n";
  }

  @BeforeAll
  static void start(@TempDir Path policyDir) throws Exception {
    rig = new AccessRig(policyDir, ReminderSweepTest::policy);
    clock = rig.clock;
    url = rig.url;
    replicaA = rig.replica().access();
    replicaB = rig.replica().access();
    replicaA.listen(new RequestNotifier(sent::add, AccessRig::link));
    replicaB.listen(new RequestNotifier(sent::add, AccessRig::link));
  }

  @AfterAll
  static void stop() throws Exception {
    rig.close();
  }

  static AccessRequest request(String profile, String user) throws Exception {
    return AuditTables.await(
        replicaA
            .requests()
            .create(
                rig.caller(user, "eng"),
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

  static void sweepBothAt(Instant at) throws Exception {
    clock.set(at);
    AuditTables.await(Future.all(replicaA.sweeps().sweep(), replicaB.sweeps().sweep()));
  }

  static long reminders(String id) {
    synchronized (sent) {
      return sent.stream()
          .filter(n -> n.request().id().equals(id) && n.event().equals("request.reminder"))
          .count();
    }
  }

  @Test
  void aPendingRequestIsRemindedOncePerIntervalUntilDecided() throws Exception {
    clock.set(T0);
    AccessRequest r = request("db", "alice");
    AccessRequest decided = request("db", "bob");
    AccessRequest plain = request("plain", "alice");
    AuditTables.await(
        replicaA
            .decisions()
            .decide(rig.caller("carol", "sre"), decided.id(), Action.DENY, Optional.empty()));

    sweepBothAt(T0.plus(Duration.ofMinutes(59)));
    assertThat(events(r.id())).containsExactly("request.created");

    sweepBothAt(T0.plus(Duration.ofHours(1)));
    sweepBothAt(T0.plus(Duration.ofMinutes(90)));
    assertThat(events(r.id())).containsExactly("request.created", "request.reminded");
    assertThat(
            AuditTables.strings(
                url,
                "SELECT actor_subject || ' | ' || reason FROM"
                    + " audit_events WHERE type = 'request.reminded' AND request_id = '"
                    + r.id()
                    + "'"))
        .containsExactly("system | still waiting for 2 more approvals; reminded every 1h");
    assertThat(reminders(r.id())).isEqualTo(1);
    Notification told =
        List.copyOf(sent).stream()
            .filter(n -> n.request().id().equals(r.id()) && n.event().equals("request.reminder"))
            .findFirst()
            .orElseThrow();
    assertThat(told.summary())
        .isEqualTo(
            "Reminder: alice@example.com's request for db for 1h still needs 2 more approvals");

    AuditTables.await(
        replicaB
            .decisions()
            .decide(rig.caller("carol", "sre"), r.id(), Action.APPROVE, Optional.empty()));
    sweepBothAt(T0.plus(Duration.ofHours(2)));
    assertThat(events(r.id()))
        .containsExactly(
            "request.created", "request.reminded", "approval.recorded", "request.reminded");
    assertThat(
            AuditTables.strings(
                url,
                "SELECT reason FROM audit_events WHERE type ="
                    + " 'request.reminded' AND request_id = '"
                    + r.id()
                    + "' ORDER BY seq"))
        .endsWith("still waiting for 1 more approval; reminded every 1h");

    AuditTables.await(
        replicaB
            .decisions()
            .decide(rig.caller("dave", "sre"), r.id(), Action.APPROVE, Optional.empty()));
    sweepBothAt(T0.plus(Duration.ofHours(5)));
    assertThat(events(r.id()))
        .containsExactly(
            "request.created",
            "request.reminded",
            "approval.recorded",
            "request.reminded",
            "request.approved",
            "grant.expired");
    assertThat(events(decided.id())).containsExactly("request.created", "request.denied");
    assertThat(events(plain.id())).containsExactly("request.created");
    assertThat(reminders(decided.id()) + reminders(plain.id())).isZero();
  }
}
