package dev.stint.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.testing.Eventually;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Alarms for roles assumed outside stint are grouped per role and caller: the first at once, the
 * rest counted and told once a window, and a quiet window ends the run.
 */
class OutsideRunsTest {
  private static final String ROLE = "arn:aws:iam::111122223333:role/prod-admin";
  private static final String SCRIPT = "arn:aws:sts::111122223333:assumed-role/deployer";
  private static final String MALLORY = "arn:aws:iam::111122223333:user/mallory";

  private final Vertx vertx = Vertx.vertx();
  private final List<String> told = new CopyOnWriteArrayList<>();
  private final OutsideRuns runs =
      new OutsideRuns(
          vertx,
          Duration.ofMillis(300),
          Clock.systemUTC(),
          new OutsideRuns.Tell() {
            @Override
            public void first(String role, String caller, Map<String, Object> details) {
              told.add("first " + role + " " + caller);
            }

            @Override
            public void more(String role, String caller, int count, Instant since, Instant until) {
              assertThat(since).isBefore(until);
              told.add("more " + role + " " + caller + " " + count);
            }
          });

  @AfterEach
  void stop() {
    vertx.close();
  }

  private void assumedBy(String caller) {
    runs.assumed(ROLE, OutsideRuns.principal(caller), caller, Map.of("event_id", "e"));
  }

  @Test
  void aRunOfAssumptionsByOneCallerIsToldOnceAtOnceThenCountedInOneAlarm() throws Exception {
    for (int i = 1; i <= 5; i++) {
      assumedBy(SCRIPT + "/session-" + i);
    }
    assertThat(told).containsExactly("first " + ROLE + " " + SCRIPT + "/session-1");

    Eventually.until("the window's count", Duration.ofSeconds(10), () -> told.size() == 2);
    assertThat(told.get(1)).isEqualTo("more " + ROLE + " " + SCRIPT + " 4");
    Eventually.until("a quiet window ends the run", Duration.ofSeconds(10), () -> runs.open() == 0);
    assertThat(told).hasSize(2);

    assumedBy(SCRIPT + "/session-6");
    assertThat(told).last().isEqualTo("first " + ROLE + " " + SCRIPT + "/session-6");
  }

  @Test
  void anotherCallerOrAnotherRoleIsToldAtOnceNotCountedWithTheFirst() throws Exception {
    assumedBy(SCRIPT + "/a");
    assumedBy(MALLORY);
    runs.assumed(
        "arn:aws:iam::111122223333:role/other", OutsideRuns.principal(MALLORY), MALLORY, Map.of());
    assertThat(told)
        .containsExactly(
            "first " + ROLE + " " + SCRIPT + "/a",
            "first " + ROLE + " " + MALLORY,
            "first arn:aws:iam::111122223333:role/other " + MALLORY);
    Eventually.until("all runs end", Duration.ofSeconds(10), () -> runs.open() == 0);
    assertThat(told).as("nothing more was counted, so nothing more is told").hasSize(3);
  }

  @Test
  void aPrincipalLeavesOutOnlyTheSessionNameItsCallerChose() {
    assertThat(OutsideRuns.principal(SCRIPT + "/any-name")).isEqualTo(SCRIPT);
    assertThat(OutsideRuns.principal(MALLORY)).isEqualTo(MALLORY);
    assertThat(OutsideRuns.principal("accounts.google.com/1234"))
        .isEqualTo("accounts.google.com/1234");
    assertThat(OutsideRuns.principal("arn:aws:sts::1:assumed-role/no-session"))
        .isEqualTo("arn:aws:sts::1:assumed-role/no-session");
  }

  /**
   * Review: an IAM Identity Center (SSO) role's session name is the person signed in, set by AWS,
   * not chosen by a script. Grouping by the session's role alone folds every person of one
   * permission set into one caller: alice assumes the role (told), then mallory does within the
   * window and is only a "1 more time(s)" fifteen minutes later, without her name.
   */
  @Test
  void twoPeopleSignedInThroughOneSsoRoleAreToldApart() {
    String sso = "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Admin_0123456789abcdef";
    assumedBy(sso + "/alice@example.com");
    assumedBy(sso + "/mallory@example.com");
    assertThat(told)
        .containsExactly(
            "first " + ROLE + " " + sso + "/alice@example.com",
            "first " + ROLE + " " + sso + "/mallory@example.com");
  }

  @Test
  void theSameCallerFromAnotherAddressIsToldAtOnce() {
    runs.assumed(ROLE, SCRIPT, SCRIPT + "/a", Map.of("source_ip", "198.51.100.7"));
    runs.assumed(ROLE, SCRIPT, SCRIPT + "/b", Map.of("source_ip", "198.51.100.7"));
    runs.assumed(ROLE, SCRIPT, SCRIPT + "/c", Map.of("source_ip", "203.0.113.66"));
    assertThat(told)
        .containsExactly(
            "first " + ROLE + " " + SCRIPT + "/a", "first " + ROLE + " " + SCRIPT + "/c");
  }
}
