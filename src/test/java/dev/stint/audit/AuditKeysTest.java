package dev.stint.audit;

import static dev.stint.testing.AuditTables.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.common.Fingerprints;
import dev.stint.config.DatabaseUrl;
import dev.stint.db.Database;
import dev.stint.testing.AuditTables;
import dev.stint.testing.TestPostgres;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

/**
 * Every server on one database redacts the same value to the same marker (the key is shared through
 * the database), and the marker depends on that key, not on the value alone.
 */
class AuditKeysTest {
  private static final String VALUE = "Zq8rT2vLx0Wm4NbY7cHs1KdJf5Gp3Ae9Ru6Vi0Ox";

  @Test
  void replicasShareTheKeyAndTheMarkerNeedsIt() throws Exception {
    DatabaseUrl url = TestPostgres.migratedDatabase();
    Vertx vertx = Vertx.vertx();
    try {
      Database one = Database.connect(vertx, url, 1);
      Database two = Database.connect(vertx, url, 1);
      AuditRedactor first = await(AuditKeys.redactor(one.pool()));
      AuditRedactor second = await(AuditKeys.redactor(two.pool()));

      assertThat(first.marker(VALUE))
          .matches("\\[redacted hmac-sha256:[0-9a-f]{32}\\]")
          .isEqualTo(second.marker(VALUE))
          .isNotEqualTo(AuditRedactor.withRandomKey().marker(VALUE))
          .isNotEqualTo(first.marker(VALUE + "x"))
          .doesNotContain(Fingerprints.sha256(VALUE).substring(7, 39));
      assertThat(AuditTables.count(url, "true")).isZero();
    } finally {
      await(vertx.close());
    }
  }
}
