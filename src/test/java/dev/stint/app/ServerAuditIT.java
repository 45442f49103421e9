package dev.stint.app;

import static dev.stint.testing.AuditTables.await;
import static dev.stint.testing.AuditTables.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.audit.AuditEvent;
import dev.stint.audit.AuditRecord;
import dev.stint.config.DatabaseUrl;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.testing.AuditTables;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The server wires the audit writer and live stream, keeps the audit API closed to anonymous
 * callers, stops them last.
 */
class ServerAuditIT {
  @Test
  void auditIsWiredAndItsRoutesAreNotOpen() throws Exception {
    DatabaseUrl url = TestPostgres.migratedDatabase();
    var appended = AuditEvent.builder("policy.reloaded").actor(AuditEvent.Actor.SYSTEM).build();
    TestServer server = TestServer.start(url, Map.of("STINT_AUDIT_TIMEOUT", "3s"));
    try {
      LinkedBlockingQueue<AuditRecord> live = new LinkedBlockingQueue<>();
      await(server.server().liveAudit().subscribe(live::add));
      AuditRecord r = await(server.server().auditLog().append(appended));
      assertThat(r.seq()).isEqualTo(1);
      assertThat(live.poll(10, TimeUnit.SECONDS)).isEqualTo(r);
      assertThat(AuditTables.count(url, "type = 'policy.reloaded'")).isEqualTo(1);
      // The audit API is there, and closed to callers without a token.
      assertThat(server.get("/v1/audit").statusCode()).isEqualTo(401);
      assertThat(server.get("/v1/events").statusCode()).isEqualTo(401);
    } finally {
      server.close();
    }
    Throwable afterClose = failure(server.server().auditLog().append(appended));
    assertThat(afterClose)
        .isInstanceOfSatisfying(
            StintException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.AUDIT_UNAVAILABLE));
  }
}
