package dev.stint.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.testing.AuditTables;
import dev.stint.testing.IssuanceRig;
import dev.stint.testing.LoadDriver;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The long form of {@link AuditedLoadIT} for {@code make soak}: 64 clients for {@code
 * STINT_SOAK_SECONDS} (default 180) on a durable database, then the exact 200s-to-audit-events
 * equality and an intact hash chain.
 */
@Tag("soak")
class AuditedSoakTest {
  @Test
  void minutesOfLoadLeaveExactlyOneAuditEventPerCredential() throws Exception {
    long seconds = Long.parseLong(System.getenv().getOrDefault("STINT_SOAK_SECONDS", "180"));
    try (IssuanceRig rig = IssuanceRig.start(true, Map.of());
        LoadDriver driver = new LoadDriver()) {
      LoadDriver.Result result =
          driver.run(rig.credentials("alice"), 64, Duration.ofSeconds(seconds));
      System.out.println("soak: " + result);
      assertThat(result.failures()).as(result.toString()).isZero();
      assertThat(result.count(200)).as(result.toString()).isPositive();
      // Under overload an issuance may be refused (503 audit_unavailable), never unaudited.
      assertThat(result.byStatus().keySet()).as(result.toString()).isSubsetOf(200, 503);
      rig.server().close();
      assertThat(rig.auditCount("credential.issued")).isEqualTo(result.count(200));
      String verify =
          AuditTables.strings(
                  rig.database(),
                  "SELECT count(*) FROM audit_events a JOIN audit_events b ON b.seq = a.seq + 1"
                      + " WHERE b.prev_hash <> a.hash")
              .get(0);
      assertThat(verify).as("hash chain links").isEqualTo("0");
    }
  }
}
