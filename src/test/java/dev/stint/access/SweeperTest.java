package dev.stint.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.access.AccessRequest.RequestState;
import dev.stint.config.DatabaseUrl;
import dev.stint.testing.AuditTables;
import dev.stint.testing.MutableClock;
import dev.stint.testing.TestPolicies;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sweeper, run by two replicas at once, against a clock the test moves. */
class SweeperTest {
  static final Instant T0 = AccessRig.T0;
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
    replicaA = rig.replica().access();
    replicaB = rig.replica().access();
  }

  @AfterAll
  static void stop() throws Exception {
    rig.close();
  }

  static Caller caller(String user, String... groups) {
    return rig.caller(user, groups);
  }

  @Test
  void stalePendingRequestsTimeOutAndEndedGrantsExpireExactlyOnceAcrossReplicas() throws Exception {
    clock.set(T0);
    List<String> pending = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      pending.add(
          AuditTables.await(
                  replicaA
                      .requests()
                      .create(
                          caller("user" + i, "eng"),
                          new NewRequest(
                              "prod",
                              Duration.ofHours(1),
                              "INC-" + i,
                              Optional.empty(),
                              Optional.empty(),
                              false)))
              .id());
    }
    AccessRequest auto =
        AuditTables.await(
            replicaA
                .requests()
                .create(
                    caller("oncall1", "oncall"),
                    new NewRequest(
                        "sandbox",
                        Duration.ofMinutes(30),
                        "",
                        Optional.empty(),
                        Optional.empty(),
                        false)));
    assertThat(auto.state()).isEqualTo(RequestState.APPROVED);

    clock.set(T0.plus(Duration.ofHours(23)));
    assertThat(
            AuditTables.await(Future.all(replicaA.sweeps().sweep(), replicaB.sweeps().sweep()))
                .<Integer>list())
        .as("only the grant has ended")
        .containsExactlyInAnyOrder(1, 0);

    clock.set(T0.plus(Duration.ofHours(25)));
    Future<Integer> a = replicaA.sweeps().sweep();
    Future<Integer> b = replicaB.sweeps().sweep();
    int swept = AuditTables.await(a) + AuditTables.await(b);
    assertThat(swept).isEqualTo(6);

    for (String id : pending) {
      AccessRequest r = AuditTables.await(replicaB.requests().get(caller("carol", "sre"), id));
      assertThat(r.state()).isEqualTo(RequestState.TIMED_OUT);
      assertThat(
              AuditTables.strings(
                  url,
                  "SELECT type FROM audit_events WHERE request_id = '" + id + "' ORDER BY seq"))
          .containsExactly("request.created", "request.timed_out");
    }
    assertThat(
            AuditTables.strings(
                url,
                "SELECT actor_subject FROM audit_events WHERE type = "
                    + "'grant.expired' AND request_id = '"
                    + auto.id()
                    + "'"))
        .containsExactly("system");
    assertThat(AuditTables.await(replicaA.sweeps().sweep())).isZero();
  }
}
