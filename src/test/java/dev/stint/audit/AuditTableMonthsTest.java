package dev.stint.audit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A month is spliced into DDL, so anything but a month's partition name is refused first. */
class AuditTableMonthsTest {
  @Test
  void aNameThatIsNotAMonthNeverReachesAStatement() {
    assertThatThrownBy(
            () -> AuditTableMonths.detach(null, "audit_events_2026_06; DROP TABLE x", false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a month of the audit table");
    assertThatThrownBy(
            () ->
                AuditTableMonths.attach(
                    null, "audit_keys", Instant.EPOCH, Instant.EPOCH.plusSeconds(86_400)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
