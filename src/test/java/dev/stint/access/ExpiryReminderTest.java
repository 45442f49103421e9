package dev.stint.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.access.AccessRequest.RequestState;
import dev.stint.config.DatabaseUrl;
import dev.stint.notify.Notification;
import dev.stint.notify.RequestNotifier;
import dev.stint.testing.AuditTables;
import dev.stint.testing.MutableClock;
import dev.stint.testing.TestPolicies;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sweeper reminds a grant's holder once, {@code expiry_reminder} before the end, and tells them
 * when it ended; two replicas never send a reminder twice; revoked grants get none.
 */
class ExpiryReminderTest {
  static final List<Notification> sent = Collections.synchronizedList(new ArrayList<>());
  static AccessRig rig;
  static MutableClock clock;
  static DatabaseUrl url;
  static AccessUseCases replicaA;
  static AccessUseCases replicaB;

  @BeforeAll
  static void start(@TempDir Path policyDir) throws Exception {
    rig = new AccessRig(policyDir, TestPolicies::requests);
    clock = rig.clock;
    url = rig.url;
    replicaA = replica();
    replicaB = replica();
  }

  static AccessUseCases replica() {
    AccessUseCases service = rig.replica().access();
    service.listen(new RequestNotifier(sent::add, AccessRig.SETTINGS::link));
    return service;
  }

  @AfterAll
  static void stop() throws Exception {
    rig.close();
  }

  static Caller caller(String user, String... groups) {
    return rig.caller(user, groups);
  }

  static AccessRequest sandbox(String user) throws Exception {
    AccessRequest r =
        AuditTables.await(
            replicaA
                .requests()
                .create(
                    caller(user, "oncall"),
                    new NewRequest(
                        "sandbox",
                        Duration.ofMinutes(30),
                        "",
                        Optional.empty(),
                        Optional.empty(),
                        false)));
    assertThat(r.state()).isEqualTo(RequestState.APPROVED);
    return r;
  }

  static List<String> events(String requestId) throws Exception {
    return AuditTables.strings(
        url, "SELECT type FROM audit_events WHERE request_id = '" + requestId + "' ORDER BY seq");
  }

  static List<String> notified(String requestId) {
    synchronized (sent) {
      return sent.stream()
          .filter(n -> n.request().id().equals(requestId))
          .map(Notification::event)
          .toList();
    }
  }

  @Test
  void oneReminderBeforeTheEndAndOneNoticeWhenItEnds() throws Exception {
    clock.set(AccessRig.T0);
    AccessRequest kept = sandbox("dave");
    AccessRequest revoked = sandbox("erin");
    AuditTables.await(
        replicaA
            .decisions()
            .decide(caller("erin", "oncall"), revoked.id(), Action.REVOKE, Optional.empty()));

    clock.set(AccessRig.T0.plus(Duration.ofMinutes(19)));
    AuditTables.await(replicaA.sweeps().sweep());
    assertThat(events(kept.id())).containsExactly("request.created", "request.approved");

    clock.set(AccessRig.T0.plus(Duration.ofMinutes(21)));
    AuditTables.await(Future.all(replicaA.sweeps().sweep(), replicaB.sweeps().sweep()));
    clock.set(AccessRig.T0.plus(Duration.ofMinutes(25)));
    AuditTables.await(Future.all(replicaA.sweeps().sweep(), replicaB.sweeps().sweep()));
    assertThat(events(kept.id()))
        .containsExactly("request.created", "request.approved", "grant.expiring");
    assertThat(
            AuditTables.strings(
                url,
                "SELECT actor_subject || ' ' || reason FROM audit_events"
                    + " WHERE type = 'grant.expiring' AND request_id = '"
                    + kept.id()
                    + "'"))
        .containsExactly("system the grant ends at 2026-11-23T09:30:00Z");
    assertThat(notified(kept.id()))
        .containsExactly("request.created", "request.approved", "grant.expiring");
    Notification reminder =
        List.copyOf(sent).stream()
            .filter(n -> n.event().equals("grant.expiring"))
            .findFirst()
            .orElseThrow();
    assertThat(reminder.summary())
        .isEqualTo("dave@example.com's access to sandbox ends at 2026-11-23T09:30:00Z");
    assertThat(reminder.body()).containsEntry("grant_ends_at", "2026-11-23T09:30:00Z");

    clock.set(AccessRig.T0.plus(Duration.ofMinutes(31)));
    AuditTables.await(Future.all(replicaA.sweeps().sweep(), replicaB.sweeps().sweep()));
    assertThat(events(kept.id()))
        .containsExactly("request.created", "request.approved", "grant.expiring", "grant.expired");
    assertThat(notified(kept.id())).endsWith("grant.expiring", "grant.expired");
    assertThat(events(revoked.id())).doesNotContain("grant.expiring", "grant.expired");
    assertThat(notified(revoked.id())).doesNotContain("grant.expiring");
  }
}
