package dev.stint.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.testing.IssuanceRig;
import dev.stint.testing.LoadDriver;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Concurrent issuance for a bounded time: every credential the server handed out (a 200) has
 * exactly one committed {@code credential.issued} event, and no event exists for a credential that
 * was not handed out. The server is closed (draining the audit writer) before counting.
 */
class AuditedLoadIT {
  static IssuanceRig rig;

  @BeforeAll
  static void start() {
    rig = IssuanceRig.start(false, Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    if (rig != null) {
      rig.close();
    }
  }

  @Test
  void everyIssuedCredentialIsAuditedExactlyOnce() throws Exception {
    LoadDriver.Result result;
    try (LoadDriver driver = new LoadDriver()) {
      result = driver.run(rig.credentials("alice"), 16, Duration.ofSeconds(6));
    }
    assertThat(result.count(200)).as(result.toString()).isGreaterThanOrEqualTo(16);
    assertThat(result.failures()).as(result.toString()).isZero();
    assertThat(result.byStatus().keySet()).as(result.toString()).containsOnly(200);
    assertThat(rig.auditCount("credential.issued")).isEqualTo(result.count(200));
    assertThat(rig.auditCount("credential.denied")).isZero();
  }
}
