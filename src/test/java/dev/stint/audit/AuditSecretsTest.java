package dev.stint.audit;

import static dev.stint.testing.AuditTables.await;
import static dev.stint.testing.AuditTables.failure;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.stint.common.Fingerprints;
import dev.stint.config.DatabaseUrl;
import dev.stint.config.StintConfig.AuditConfig;
import dev.stint.db.Database;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Patience;
import dev.stint.testing.TestPostgres;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Known secret values go through the audit path the way buggy and correct callers would hand them
 * over; afterwards neither the table nor the log output contains any of them.
 */
class AuditSecretsTest {
  private static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  private static final String SESSION_TOKEN = "IQoJb3JpZ2luX2VjEXAMPLE" + "Zm9vYmFy".repeat(20);
  private static final String JWT =
      "eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLWJ5dGVz";
  private static final String PASSWORD = "hunter2-but-longer";

  @Test
  void secretsReachNeitherTheTableNorTheLog() throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    root.addAppender(captured);
    DatabaseUrl url = TestPostgres.migratedDatabase();
    Vertx vertx = Vertx.vertx();
    List<String> errors = new ArrayList<>();
    try {
      Database db = Database.connect(vertx, url, 2);
      GroupCommitAuditLog log =
          new GroupCommitAuditLog(
              vertx, db.pool(), Clock.systemUTC(), new AuditConfig(Patience.AUDIT_COMMIT, 16));
      // The right way: the access key id and fingerprints only.
      await(
          log.append(
              AuditEvent.builder("credential.issued")
                  .actor("https://idp", "alice", null)
                  .detail("access_key_id", "ASIAEXAMPLEEXAMPLE")
                  .detail("session_token_sha256", Fingerprints.sha256(SESSION_TOKEN))
                  .detail("subject_token_sha256", Fingerprints.sha256(JWT))
                  .build()));
      // Buggy callers: every one is refused.
      for (AuditEvent bad :
          List.of(
              AuditEvent.builder("credential.issued")
                  .detail("secret_access_key", SECRET_KEY)
                  .build(),
              AuditEvent.builder("credential.issued")
                  .detail("aws", Map.of("SessionToken", SESSION_TOKEN))
                  .build(),
              AuditEvent.builder("credential.issued").detail("note", "creds " + SECRET_KEY).build(),
              AuditEvent.builder("request.created").detail("password", PASSWORD).build(),
              AuditEvent.builder("credential.issued")
                  .detail("list", List.of(SESSION_TOKEN))
                  .build())) {
        errors.add(String.valueOf(failure(log.append(bad)).getMessage()));
      }
      // A caller's text is bad input, not a bug: kept, with the secret-shaped parts redacted.
      await(log.append(AuditEvent.builder("request.created").reason("see " + JWT).build()));
      await(
          log.append(
              AuditEvent.builder("request.created")
                  .detail("ticket", SECRET_KEY)
                  .client("127.0.0.1", SESSION_TOKEN)
                  .build()));
    } finally {
      await(vertx.close());
      root.detachAppender(captured);
    }

    assertThat(AuditTables.count(url, "true")).isEqualTo(3);
    assertThat(AuditTables.strings(url, "SELECT reason FROM audit_events WHERE reason IS NOT NULL"))
        .singleElement()
        .asString()
        .matches("see \\[redacted hmac-sha256:[0-9a-f]{32}\\]");
    assertThat(
            AuditTables.strings(
                url,
                "SELECT details->>'redacted' FROM audit_events WHERE details->>'redacted' IS NOT NULL ORDER BY seq"))
        .containsExactly("[\"reason\"]", "[\"user_agent\", \"details.ticket\"]");
    String table = String.join("\n", AuditTables.rowsAsText(url));
    StringBuilder logs = new StringBuilder();
    for (ILoggingEvent e : captured.list) {
      logs.append(e.getFormattedMessage()).append('\n');
      if (e.getThrowableProxy() != null) {
        logs.append(ThrowableProxyUtil.asString(e.getThrowableProxy())).append('\n');
      }
    }
    assertThat(logs).contains("refused to audit");
    for (String secret : List.of(SECRET_KEY, SESSION_TOKEN, JWT, PASSWORD)) {
      assertThat(table).doesNotContain(secret);
      assertThat(logs.toString()).doesNotContain(secret);
      assertThat(errors).noneMatch(m -> m.contains(secret));
    }
    assertThat(table).contains(Fingerprints.sha256(SESSION_TOKEN));
  }
}
