package dev.stint.retention;

import com.nimbusds.jose.jwk.JWKSet;
import dev.stint.audit.AuditEvent;
import dev.stint.audit.AuditLog;
import dev.stint.audit.AuditReader;
import dev.stint.audit.AuditRecord;
import dev.stint.checkpoint.Anchor;
import dev.stint.checkpoint.Checkpoint;
import dev.stint.checkpoint.CheckpointSigner;
import dev.stint.config.DatabaseUrl;
import io.vertx.core.Future;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code audit.retention}: a month partition entirely older than the retention is exported to every
 * checkpoint anchor (JSONL, its signed checkpoint and a manifest to those that keep files, manifest
 * and checkpoint to a webhook), each stored file is read back and checked, and only then is the
 * month detached and dropped. Any failure stops the round before the drop: nothing is dropped that
 * is not kept. Both steps are audit events.
 *
 * <p>Blocking throughout (JDBC, files, S3): it runs on a worker thread, never the event loop, and
 * on one replica at a time (a session advisory lock). It detaches and drops as the schema's owner
 * (the migration role): the runtime role can add months but never remove one, so a stolen runtime
 * connection cannot shorten the audit.
 */
public final class AuditRetention {
  private static final Logger LOG = LoggerFactory.getLogger(AuditRetention.class);

  /** The advisory lock that keeps retention to one replica: "STINTRET" as a bigint. */
  static final long LOCK_KEY = 0x5354494E54524554L;

  private static final int PAGE = 5_000;
  private static final long WAIT_SECONDS = 120;

  /** Connecting and logging in as the owner: a database that does not answer is given up. */
  static final Duration LOGIN_TIMEOUT = Duration.ofSeconds(30);

  /**
   * The longest the owner's connection may stay silent: longer than any statement retention runs (a
   * month's count, a detach waiting for older transactions to end), short enough that a network
   * that dropped the connection without a word cannot hold retention, and the month making that
   * runs after it, for ever.
   */
  static final Duration SOCKET_TIMEOUT = Duration.ofMinutes(10);

  /** What retention works with; {@code owner} connects as the schema's owner. */
  public record Parts(
      DatabaseUrl owner,
      AuditReader reader,
      AuditLog audit,
      CheckpointSigner signer,
      Supplier<JWKSet> published,
      List<Anchor> anchors,
      List<String> sinks) {}

  /** One round: the months dropped, and why it stopped early, if it did. */
  public record Round(List<String> dropped, Optional<String> problem) {}

  private final Parts parts;
  private final Duration retention;
  private final Clock clock;

  public AuditRetention(Parts parts, Duration retention, Clock clock) {
    this.parts = parts;
    this.retention = retention;
    this.clock = clock;
  }

  /** Retires every expired month, oldest first; stops at the first that cannot be retired. */
  public Round runOnce() {
    List<String> dropped = new ArrayList<>();
    Optional<String> at = Optional.empty();
    DatabaseUrl owner = parts.owner();
    try (Connection c = connect(owner, LOGIN_TIMEOUT, SOCKET_TIMEOUT)) {
      if (!Sql.bool(c, "SELECT pg_try_advisory_lock(" + LOCK_KEY + ")")) {
        return new Round(dropped, Optional.of("another replica is running retention"));
      }
      try {
        Instant cutoff = clock.instant().minus(retention);
        for (MonthPartition p : Sql.partitions(c)) {
          if (!p.until().isAfter(cutoff)) {
            at = Optional.of(p.name());
            retire(c, p, dropped);
          }
        }
      } finally {
        Sql.bool(c, "SELECT pg_advisory_unlock(" + LOCK_KEY + ")");
      }
      return new Round(dropped, Optional.empty());
    } catch (SQLException | IOException | RuntimeException e) {
      String problem = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
      LOG.error("audit retention stopped, nothing more dropped: {}", problem);
      recordStop(at, dropped, problem);
      return new Round(dropped, Optional.of(problem));
    }
  }

  /**
   * A round that stopped is a refusal to drop what it could not keep, so it goes to the audit like
   * every refusal, once per round: an operator sees a retention that has been stuck for days in the
   * log they already watch. When the audit itself is what failed, only the log line above remains.
   */
  private void recordStop(Optional<String> partition, List<String> dropped, String problem) {
    try {
      await(
          parts
              .audit()
              .append(
                  AuditEvent.builder("audit.retention_stopped")
                      .actor(AuditEvent.Actor.SYSTEM)
                      .outcome("error")
                      .target(partition.orElse("audit_events"))
                      .reason(problem)
                      .detail("dropped", dropped)
                      .build()));
    } catch (IOException | RuntimeException e) {
      LOG.error("audit retention's stop could not be recorded in the audit: {}", e.getMessage());
    }
  }

  /** The owner's connection, every wait on it bounded. */
  static Connection connect(DatabaseUrl owner, Duration login, Duration silence)
      throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", owner.user());
    props.setProperty("password", owner.password());
    props.setProperty("connectTimeout", Long.toString(Math.max(1, login.toSeconds())));
    props.setProperty("loginTimeout", Long.toString(Math.max(1, login.toSeconds())));
    props.setProperty("socketTimeout", Long.toString(Math.max(1, silence.toSeconds())));
    props.setProperty("tcpKeepAlive", "true");
    return DriverManager.getConnection(owner.jdbcUrl(), props);
  }

  /** Exports, checks and drops {@code p}, adding it to {@code dropped} as soon as it is gone. */
  private void retire(Connection c, MonthPartition p, List<String> dropped)
      throws SQLException, IOException {
    Sql.Stats stats = Sql.stats(c, p);
    Optional<Export> export = Optional.empty();
    if (stats.count() > 0) {
      Sql.checkIsTheOldestPiece(c, p, stats);
      Sql.checkSinksArePast(c, parts.sinks(), stats.last());
      Kept.checkFollowsWhatWasKept(
          parts.anchors(), parts.published().get(), stats.first(), Sql.firstPrevHash(c, p, stats));
      export = Optional.of(export(p, stats));
      Export e = export.get();
      await(
          parts
              .audit()
              .append(
                  event("audit.partition_exported", p, stats)
                      .detail("sha256", e.sha256())
                      .detail("anchors", e.anchors())
                      .build()));
    }
    Sql.detachAndDrop(c, p);
    Sql.dropIfUnchanged(c, p, stats);
    dropped.add(p.name());
    AuditEvent.Builder detached = event("audit.partition_detached", p, stats);
    export.ifPresent(e -> detached.detail("sha256", e.sha256()));
    await(parts.audit().append(detached.build()));
    LOG.info(
        "audit partition {} (seq {}-{}, {} events) exported and dropped",
        p.name(),
        stats.first(),
        stats.last(),
        stats.count());
  }

  private static AuditEvent.Builder event(String type, MonthPartition p, Sql.Stats stats) {
    return AuditEvent.builder(type)
        .actor(AuditEvent.Actor.SYSTEM)
        .outcome("ok")
        .target(p.name())
        .detail("first_seq", stats.first())
        .detail("last_seq", stats.last())
        .detail("count", stats.count());
  }

  /** Where an export went, and the SHA-256 of its JSONL file. */
  private record Export(String sha256, List<String> anchors) {}

  private Export export(MonthPartition p, Sql.Stats stats) throws IOException {
    Path scratch = Files.createTempDirectory("stint-retention");
    try {
      String base = p.exportName(stats.first(), stats.last());
      ExportFiles files = new ExportFiles(scratch.resolve(base + ".jsonl"));
      try (files) {
        long after = stats.first() - 1;
        List<AuditRecord> page;
        do {
          page = await(parts.reader().stamped(p.from(), p.until(), after, PAGE));
          for (AuditRecord r : page) {
            files.add(r);
            after = r.seq();
          }
        } while (page.size() == PAGE);
      }
      if (files.count() != stats.count() || files.lastSeq() != stats.last()) {
        throw new IOException(
            p.name() + " read " + files.count() + " events of " + stats.count() + "; not exported");
      }
      Checkpoint checkpoint =
          parts.signer().signExport(stats.last(), files.lastHash(), clock.instant(), base);
      String checkpointName = String.format("checkpoint-%020d-export.jws", stats.last());
      String manifest = files.manifest(p, base + ".jsonl", checkpointName);
      Path manifestFile = Files.writeString(scratch.resolve(base + ".manifest"), manifest);
      Path checkpointFile = Files.writeString(scratch.resolve(checkpointName), checkpoint.jws());
      List<String> stored = new ArrayList<>();
      for (Anchor a : parts.anchors()) {
        if (a instanceof Anchor.Objects o) {
          Stored.putAndCheck(o, base + ".jsonl", files.jsonl(), files.sha256());
          Stored.putCheckpoint(
              o, checkpointName, checkpointFile, checkpoint, parts.published().get());
          Stored.putAndCheck(o, base + ".manifest", manifestFile, Stored.sha256(manifestFile));
        } else {
          a.exported(manifest, checkpoint);
        }
        stored.add(a.id());
      }
      return new Export(files.sha256(), stored);
    } finally {
      Stored.deleteTree(scratch);
    }
  }

  /** Waits on this worker thread for a database or audit answer. */
  static <T> T await(Future<T> future) throws IOException {
    try {
      return future.toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    } catch (ExecutionException e) {
      throw new IOException(e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IOException("no answer in " + WAIT_SECONDS + "s");
    }
  }

  static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
