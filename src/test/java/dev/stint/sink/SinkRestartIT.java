package dev.stint.sink;

import static dev.stint.testing.AuditTables.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.app.Server;
import dev.stint.audit.AuditEvent;
import dev.stint.config.ConfigLoader;
import dev.stint.config.DatabaseUrl;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Eventually;
import dev.stint.testing.TempDirs;
import dev.stint.testing.TestPostgres;
import io.cloudevents.CloudEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The whole server streaming its audit log to a CloudEvents receiver that dies mid-stream, while
 * stint itself is restarted: afterwards every event is at the receiver, found by id, in seq order,
 * with duplicates at most (no gaps).
 */
class SinkRestartIT {
  private final List<CloudEvent> received = new CopyOnWriteArrayList<>();
  private DatabaseUrl db;
  private Path config;
  private Path policies;
  private Server server;
  private CloudEventsReceiver receiver;

  private Server startServer() {
    return Server.start(
        ConfigLoader.load(
            Optional.of(config),
            Map.of(
                "STINT_LISTEN",
                "127.0.0.1:0",
                "STINT_DATABASE_URL",
                db.withCredentials(),
                "STINT_POLICIES",
                policies.toString(),
                "STINT_DATA_DIR",
                policies.resolve("data").toString(),
                "STINT_SHUTDOWN_TIMEOUT",
                "5s")));
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  private void append(int n, String reason) throws Exception {
    for (int i = 0; i < n; i++) {
      await(
          server
              .auditLog()
              .append(
                  AuditEvent.builder("request.created")
                      .actor("https://idp.test", "alice", null)
                      .reason(reason + " " + i)
                      .build()));
    }
  }

  private Set<String> ids() {
    Set<String> ids = new LinkedHashSet<>();
    received.forEach(e -> ids.add(e.getId()));
    return ids;
  }

  @Test
  void aDeadReceiverAndARestartLoseNothing() throws Exception {
    db = TestPostgres.migratedDatabase();
    policies = TempDirs.create("stint-policies");
    Files.writeString(policies.resolve("policy.yaml"), "profiles: {}\n");
    receiver = CloudEventsReceiver.start(0, received);
    int port = receiver.port();
    config = TempDirs.create("stint-config").resolve("stint.yaml");
    Files.writeString(
        config,
        "audit:\n  sinks:\n    - type: cloudevents\n      name: siem\n"
            + "      url: "
            + receiver.url()
            + "\n");
    server = startServer();

    receiver.loseAnswers.set(1); // the first batch arrives but its answer is lost: sent again
    append(20, "before");
    Eventually.until(
        "the first events",
        Duration.ofSeconds(30),
        () -> {
          await(server.rounds().sink());
          return ids().size() >= 20 && receiver.loseAnswers.get() == 0 && cursor() >= 20;
        });
    receiver.close(); // the receiver dies mid-stream
    append(15, "while the receiver is down");
    await(server.rounds().sink()); // fails: nothing is lost, the cursor stays
    long cursorBefore = cursor();
    server.close(); // stint restarts too
    server = null;
    assertThat(cursor()).isEqualTo(cursorBefore);

    receiver = CloudEventsReceiver.start(port, received);
    server = startServer();
    append(10, "after the restart");
    long head = Long.parseLong(AuditTables.strings(db, "SELECT max(seq) FROM audit_events").get(0));
    Eventually.until(
        "every event at the receiver",
        Duration.ofSeconds(90),
        () -> {
          await(server.rounds().sink());
          return cursor() == head;
        });

    List<String> expected =
        AuditTables.strings(db, "SELECT event_id::text FROM audit_events ORDER BY seq");
    assertThat(ids()).containsExactlyElementsOf(expected); // each id, first seen in seq order
    assertThat(received.size()).as("duplicates are allowed").isGreaterThan(expected.size());
    List<Long> seqs = new ArrayList<>();
    received.forEach(e -> seqs.add(Long.parseLong(String.valueOf(e.getExtension("stintseq")))));
    assertThat(seqs.stream().distinct().toList())
        .containsExactlyElementsOf(LongStream.rangeClosed(1, head).boxed().toList());
    CloudEvent first = received.get(0);
    assertThat(first.getType()).startsWith("dev.stint.audit.");
    assertThat(first.getDataContentType()).isEqualTo("application/json");
    assertThat(new String(first.getData().toBytes())).contains("\"seq\":1").contains("\"hash\"");
  }

  private long cursor() throws Exception {
    return Long.parseLong(
        AuditTables.strings(db, "SELECT seq FROM audit_sink_cursors WHERE sink = 'siem'").get(0));
  }
}
