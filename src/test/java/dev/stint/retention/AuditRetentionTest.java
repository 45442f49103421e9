package dev.stint.retention;

import static dev.stint.testing.AuditTables.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.audit.AuditEvent;
import dev.stint.audit.AuditReader;
import dev.stint.audit.AuditVerification;
import dev.stint.audit.ChainVerifier;
import dev.stint.audit.GroupCommitAuditLog;
import dev.stint.checkpoint.Anchor;
import dev.stint.checkpoint.CheckpointSigner;
import dev.stint.checkpoint.CheckpointVerification;
import dev.stint.checkpoint.DirectoryAnchor;
import dev.stint.checkpoint.ExportCheck;
import dev.stint.config.DatabaseUrl;
import dev.stint.config.StintConfig.AuditConfig;
import dev.stint.db.Database;
import dev.stint.signing.SigningKeys;
import dev.stint.testing.AuditTables;
import dev.stint.testing.MutableClock;
import dev.stint.testing.Patience;
import dev.stint.testing.RsaKeys;
import dev.stint.testing.TestPostgres;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention end to end on a test clock: events over several months, a round that exports the
 * expired months to a directory anchor, reads them back, drops them, and a verification that starts
 * after the gap on the export's signed checkpoint. And the refusals: a month dropped by hand is a
 * gap; an anchor that cannot be written keeps every month.
 */
class AuditRetentionTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  final DatabaseUrl url = TestPostgres.migratedDatabase();
  final Vertx vertx = Vertx.vertx();
  final Database db = Database.connect(vertx, url, 4);
  final MutableClock clock = new MutableClock(Instant.parse("2026-06-10T10:00:00Z"));
  final GroupCommitAuditLog log =
      new GroupCommitAuditLog(vertx, db.pool(), clock, new AuditConfig(Patience.AUDIT_COMMIT, 64));
  SigningKeys keys;

  @AfterEach
  void stop() throws Exception {
    await(log.close());
    db.close();
    await(vertx.close());
  }

  private AuditMaintenance maintenance(Anchor anchor) throws Exception {
    return maintenance(anchor, List.of());
  }

  private AuditMaintenance maintenance(Anchor anchor, List<String> sinks) throws Exception {
    keys = RsaKeys.developmentKeyIn(Files.createTempDirectory(tmp, "keys"));
    AuditRetention retention =
        new AuditRetention(
            new AuditRetention.Parts(
                TestPostgres.asOwner(url),
                new AuditReader(db.pool()),
                log,
                new CheckpointSigner("https://stint.test", keys.active()),
                keys::publicJwkSet,
                List.of(anchor),
                sinks),
            Duration.ofDays(60),
            clock);
    return new AuditMaintenance(vertx, db.pool(), Optional.of(retention), clock);
  }

  /** Three events in each of June, July and August, two in September 2026. */
  private void monthsOfEvents(AuditMaintenance m) throws Exception {
    for (String day : List.of("2026-06-10", "2026-07-15", "2026-08-20", "2026-09-05")) {
      clock.set(Instant.parse(day + "T10:00:00Z"));
      await(m.ensurePartitions());
      for (int i = 0; i < (day.endsWith("05") ? 2 : 3); i++) {
        await(
            log.append(
                AuditEvent.builder("request.created")
                    .actor("https://idp.test", "alice", null)
                    .reason(day + " #" + i)
                    .build()));
      }
    }
  }

  private AuditVerification.Verdict verify(DirectoryAnchor anchor) throws Exception {
    return await(
        new CheckpointVerification(
                vertx,
                new ChainVerifier(db.pool()),
                keys::publicJwkSet,
                CheckpointVerification.anchors(vertx, List.of(anchor)))
            .verify(Optional.empty(), false));
  }

  private List<String> partitions() throws Exception {
    return AuditTables.strings(
        url,
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c"
            + " ON c.oid = i.inhrelid WHERE i.inhparent = 'audit_events'::regclass ORDER BY 1");
  }

  @Test
  void expiredMonthsAreExportedCheckedDroppedAndVerifiedAcross() throws Exception {
    Path dir = tmp.resolve("anchor");
    DirectoryAnchor anchor = new DirectoryAnchor(dir);
    AuditMaintenance m = maintenance(anchor);
    monthsOfEvents(m);
    // One chain across four months.
    assertThat(
            AuditTables.strings(
                url, "SELECT DISTINCT tableoid::regclass::text" + " FROM audit_events ORDER BY 1"))
        .containsExactly(
            "audit_events_2026_06",
            "audit_events_2026_07",
            "audit_events_2026_08",
            "audit_events_2026_09");
    assertThat(await(new ChainVerifier(db.pool()).verify()).count()).isEqualTo(11);

    clock.set(Instant.parse("2026-10-01T00:00:00Z")); // 60 days back is 2 August
    AuditRetention.Round round = await(m.round()).orElseThrow();

    assertThat(round.problem()).isEmpty();
    assertThat(round.dropped()).containsExactly("audit_events_2026_06", "audit_events_2026_07");
    assertThat(partitions())
        .doesNotContain("audit_events_2026_06", "audit_events_2026_07")
        .contains("audit_events_2026_08");
    assertThat(AuditTables.strings(url, "SELECT to_regclass('audit_events_2026_06')::text"))
        .containsExactly((String) null);
    Path june = dir.resolve(String.format("audit_events_2026_06-%020d-%020d.jsonl", 1, 3));
    Path july = dir.resolve(String.format("audit_events_2026_07-%020d-%020d.jsonl", 4, 6));
    assertThat(Files.readAllLines(june)).hasSize(3);
    JsonNode manifest =
        JSON.readTree(
            dir.resolve(june.getFileName().toString().replace(".jsonl", ".manifest")).toFile());
    assertThat(manifest.path("first_prev_hash").asText()).isEqualTo("0".repeat(64));
    assertThat(manifest.path("count").asLong()).isEqualTo(3);
    assertThat(Files.exists(dir.resolve(String.format("checkpoint-%020d-export.jws", 6)))).isTrue();
    ExportCheck.Verified checked = ExportCheck.check(july, keys.publicJwkSet());
    assertThat(checked.firstSeq()).isEqualTo(4);
    assertThat(checked.lastSeq()).isEqualTo(6);
    assertThat(ExportCheck.check(june, keys.publicJwkSet()).count()).isEqualTo(3);

    // Both steps are on the record.
    assertThat(
            AuditTables.strings(
                url,
                "SELECT type || ' ' || target FROM audit_events"
                    + " WHERE type LIKE 'audit.partition_%' ORDER BY seq"))
        .containsExactly(
            "audit.partition_exported audit_events_2026_06",
            "audit.partition_detached audit_events_2026_06",
            "audit.partition_exported audit_events_2026_07",
            "audit.partition_detached audit_events_2026_07");

    AuditVerification.Verdict verdict = verify(anchor);
    assertThat(verdict.result().ok()).as(verdict.toString()).isTrue();
    assertThat(verdict.result().startsAfter())
        .hasValueSatisfying(at -> assertThat(at.getKey()).isEqualTo(6L));
    assertThat(verdict.result().count()).isEqualTo(5 + 4);
    // Incrementally as well: no checkpoint of the line is newer than the gap.
    AuditVerification.Verdict incremental =
        await(
            new CheckpointVerification(
                    vertx,
                    new ChainVerifier(db.pool()),
                    keys::publicJwkSet,
                    CheckpointVerification.anchors(vertx, List.of(anchor)))
                .verify(Optional.empty(), true));
    assertThat(incremental.result().ok()).as(incremental.toString()).isTrue();
    assertThat(incremental.result().startsAfter()).isPresent();

    // A month dropped by hand, without an export, is a hole at the head again.
    AuditTables.execute(
        TestPostgres.asOwner(url),
        "ALTER TABLE audit_events DETACH PARTITION audit_events_2026_08");
    AuditVerification.Verdict cut = verify(anchor);
    assertThat(cut.result().ok()).isFalse();
    assertThat(cut.result().problem())
        .hasValueSatisfying(
            p ->
                assertThat(p)
                    .contains("gap: seq 1 is missing")
                    .contains("the log starts at seq", "verify with its export's checkpoint"));
    assertThat(cut.result().startsAfter()).isEmpty();
  }

  /**
   * The months of {@link #monthsOfEvents}, a sink 'siem' that has delivered up to {@code seq}, and
   * the clock at 1 October 2026, when June and July have expired.
   */
  private AuditMaintenance withSinkDeliveredUpTo(long seq) throws Exception {
    AuditMaintenance m = maintenance(new DirectoryAnchor(tmp.resolve("anchor")), List.of("siem"));
    monthsOfEvents(m);
    AuditTables.execute(
        url,
        "INSERT INTO audit_sink_cursors (sink, seq, updated_at)"
            + " VALUES ('siem', "
            + seq
            + ", now())");
    clock.set(Instant.parse("2026-10-01T00:00:00Z"));
    return m;
  }

  /** A sink whose receiver is behind keeps the month until it has delivered it. */
  @Test
  void aSinkBehindKeepsTheMonthUntilItHasDeliveredIt() throws Exception {
    AuditMaintenance m = withSinkDeliveredUpTo(2);
    AuditRetention.Round behind = await(m.round()).orElseThrow();
    assertThat(behind.dropped()).isEmpty();
    assertThat(behind.problem())
        .hasValueSatisfying(
            p -> assertThat(p).contains("audit sink 'siem' has delivered up to seq 2 only"));
    assertThat(partitions()).contains("audit_events_2026_06", "audit_events_2026_07");

    AuditTables.execute(url, "UPDATE audit_sink_cursors SET seq = 4 WHERE sink = 'siem'");
    AuditRetention.Round partly = await(m.round()).orElseThrow();
    assertThat(partly.dropped()).containsExactly("audit_events_2026_06");
    assertThat(partitions()).contains("audit_events_2026_07");
  }

  /** Every refusal is audited: a round that stops says where and why, once per round. */
  @Test
  void aRoundThatStopsIsRecordedInTheAuditWithWhereAndWhy() throws Exception {
    AuditMaintenance m = withSinkDeliveredUpTo(4);
    assertThat(await(m.round()).orElseThrow().dropped()).containsExactly("audit_events_2026_06");

    String where = "SELECT %s FROM audit_events WHERE type = 'audit.retention_stopped'";
    assertThat(
            AuditTables.strings(
                url,
                String.format(
                    where,
                    "concat_ws(' | ', actor_subject, target, outcome, details->>'dropped')")))
        .containsExactly("system | audit_events_2026_07 | error | [\"audit_events_2026_06\"]");
    assertThat(AuditTables.strings(url, String.format(where, "reason")))
        .singleElement()
        .satisfies(r -> assertThat(r).contains("audit sink 'siem' has delivered up to seq 4"));

    await(m.round());
    assertThat(AuditTables.strings(url, String.format(where, "seq"))).hasSize(2);
    // A round with nothing to retire, or that another replica is running, is no refusal.
    AuditTables.execute(url, "UPDATE audit_sink_cursors SET seq = 1000 WHERE sink = 'siem'");
    assertThat(await(m.round()).orElseThrow().problem()).isEmpty();
    await(m.round());
    assertThat(AuditTables.strings(url, String.format(where, "seq"))).hasSize(2);
  }

  @Test
  void anAppendInAMonthNotYetMadeMakesItAndIsRecorded() throws Exception {
    // Past the months kept ahead (three), within those the runtime role may make (thirteen).
    Instant later = Instant.now().plus(Duration.ofDays(250));
    clock.set(later);
    await(
        log.append(
            AuditEvent.builder("request.created").actor("https://idp.test", "bob", null).build()));
    assertThat(AuditTables.strings(url, "SELECT tableoid::regclass::text FROM audit_events"))
        .containsExactly(
            String.format("audit_events_%tY_%<tm", ZonedDateTime.ofInstant(later, ZoneOffset.UTC)));
  }

  /** A clock years off cannot fill the table with months: its append fails closed. */
  @Test
  void anAppendYearsAheadFailsAndMakesNoMonth() throws Exception {
    List<String> before = partitions();
    clock.set(Instant.parse("2031-03-03T03:03:03Z"));
    assertThatThrownBy(
            () ->
                await(
                    log.append(
                        AuditEvent.builder("request.created")
                            .actor("https://idp.test", "bob", null)
                            .build())))
        .isInstanceOf(Exception.class);
    assertThat(partitions()).isEqualTo(before);
    assertThat(AuditTables.count(url, "true")).isZero();
    assertThatThrownBy(
            () ->
                AuditTables.execute(
                    url,
                    "SELECT audit_partitions_ensure("
                        + "timestamptz '1990-01-01', timestamptz '1990-02-01')"))
        .hasMessageContaining("made by the schema owner only");
    assertThat(partitions()).isEqualTo(before);
  }

  /**
   * Someone able to remove the oldest month (here its owner detaches it) cannot have the next
   * export vouch for the hole: the next month neither follows seq 1 nor an export, so nothing is
   * exported or dropped and verify still reports the missing events.
   */
  @Test
  void aMonthRemovedByHandStopsRetentionInsteadOfBeingCoveredByTheNextExport() throws Exception {
    DirectoryAnchor anchor = new DirectoryAnchor(Files.createDirectories(tmp.resolve("anchor")));
    AuditMaintenance m = maintenance(anchor);
    monthsOfEvents(m);
    AuditTables.execute(
        TestPostgres.asOwner(url),
        "ALTER TABLE audit_events DETACH PARTITION audit_events_2026_06");
    clock.set(Instant.parse("2026-10-01T00:00:00Z"));
    AuditRetention.Round round = await(m.round()).orElseThrow();
    assertThat(round.dropped()).isEmpty();
    assertThat(round.problem())
        .hasValueSatisfying(p -> assertThat(p).contains("seq 3 is neither exported"));
    assertThat(partitions()).contains("audit_events_2026_07", "audit_events_2026_08");
    try (var files = Files.list(tmp.resolve("anchor"))) {
      assertThat(files.filter(f -> f.toString().endsWith("-export.jws"))).isEmpty();
    }
    AuditVerification.Verdict verdict = verify(anchor);
    assertThat(verdict.result().ok()).isFalse();
    assertThat(verdict.result().startsAfter()).isEmpty();
  }

  /** An export checkpoint planted at the anchor, signed with a key stint does not publish. */
  @Test
  void aCheckpointPlantedAtTheAnchorIsNotTakenForTheExports() throws Exception {
    Path dir = tmp.resolve("anchor");
    AuditMaintenance m = maintenance(new DirectoryAnchor(dir));
    monthsOfEvents(m);
    String hash = AuditTables.strings(url, "SELECT hash FROM audit_events WHERE seq = 3").get(0);
    SigningKeys other = RsaKeys.developmentKeyIn(Files.createTempDirectory(tmp, "other"));
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve(String.format("checkpoint-%020d-export.jws", 3)),
        new CheckpointSigner("https://stint.test", other.active())
            .signExport(3, hash, clock.instant(), "audit_events_2026_06-planted")
            .jws());
    clock.set(Instant.parse("2026-10-01T00:00:00Z"));
    AuditRetention.Round round = await(m.round()).orElseThrow();
    assertThat(round.dropped()).isEmpty();
    assertThat(round.problem())
        .hasValueSatisfying(
            p -> assertThat(p).contains("does not read back as the export's checkpoint"));
    assertThat(partitions()).contains("audit_events_2026_06");
    assertThat(AuditTables.count(url, "seq <= 3")).isEqualTo(3);
  }

  /** A row stamped in a month after its export (a clock far behind) keeps the month. */
  @Test
  void aMonthThatChangedAfterItsExportIsAttachedAgainNotDropped() throws Exception {
    AuditMaintenance m = maintenance(new DirectoryAnchor(tmp.resolve("anchor")));
    monthsOfEvents(m);
    DatabaseUrl owner = TestPostgres.asOwner(url);
    MonthPartition june =
        new MonthPartition(
            "audit_events_2026_06",
            Instant.parse("2026-06-01T00:00:00Z"),
            Instant.parse("2026-07-01T00:00:00Z"));
    try (Connection c =
        DriverManager.getConnection(owner.jdbcUrl(), owner.user(), owner.password())) {
      Sql.Stats exported = Sql.stats(c, june);
      AuditTables.execute(
          TestPostgres.asSuperuser(url),
          "SET session_replication_role = replica;"
              + " INSERT INTO audit_events (seq, event_id, occurred_at, type, prev_hash, hash)"
              + " VALUES (99, gen_random_uuid(), '2026-06-30T00:00:00Z', 'late', 'x', 'y')");
      Sql.detachAndDrop(c, june);
      assertThatThrownBy(() -> Sql.dropIfUnchanged(c, june, exported))
          .hasMessageContaining("changed after its export");
    }
    assertThat(partitions()).contains("audit_events_2026_06");
    assertThat(AuditTables.count(url, "occurred_at < '2026-07-01'")).isEqualTo(4);
  }

  @Test
  void anAnchorThatCannotBeWrittenKeepsEveryMonth() throws Exception {
    // A path under a regular file cannot become a directory, whoever runs the test.
    Path blocked = Files.writeString(tmp.resolve("not-a-directory"), "x");
    DirectoryAnchor anchor = new DirectoryAnchor(blocked.resolve("anchor"));
    AuditMaintenance m = maintenance(anchor);
    monthsOfEvents(m);
    List<String> before = partitions();
    long events = AuditTables.count(url, "true");

    clock.set(Instant.parse("2026-10-01T00:00:00Z"));
    AuditRetention.Round round = await(m.round()).orElseThrow();

    assertThat(round.problem()).isPresent();
    assertThat(round.dropped()).isEmpty();
    assertThat(partitions()).containsAll(before);
    // Every event is still there; the one added records the stop.
    assertThat(AuditTables.count(url, "type <> 'audit.retention_stopped'")).isEqualTo(events);
    assertThat(AuditTables.count(url, "type = 'audit.retention_stopped'")).isOne();
    assertThat(AuditTables.count(url, "type LIKE 'audit.partition_%'")).isZero();
    assertThat(await(new ChainVerifier(db.pool()).verify()).ok()).isTrue();
  }
}
