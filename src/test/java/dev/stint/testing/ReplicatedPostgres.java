package dev.stint.testing;

import dev.stint.config.DatabaseUrl;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Postgres primary and a hot standby streaming from it, both real servers on 127.0.0.1 run from
 * the embedded binaries (so, like every embedded Postgres here, inside {@code unshare -U} when the
 * tests run as root). The binaries have no {@code pg_basebackup}, so the standby starts from a cold
 * copy of the primary's data directory, taken while the primary is stopped cleanly.
 *
 * <p>The standby reaches the primary through a {@link MovableProxy} of its own (the replication
 * link), so a test can cut replication while the primary goes on taking commits. With {@code
 * synchronous} the primary names the standby in {@code synchronous_standby_names}: a commit is
 * acknowledged only once the standby has flushed it. The standby itself is configured without it,
 * so once promoted it commits alone, as a promoted standby does until a new one joins.
 */
public final class ReplicatedPostgres implements AutoCloseable {
  /** The standby's {@code application_name}, which the primary's sync setting names. */
  public static final String STANDBY_NAME = "standby";

  private static final Duration START_WAIT = Duration.ofSeconds(60);
  private static final Set<String> NOT_COPIED =
      Set.of("epg-lock", "postmaster.pid", "postmaster.opts");

  private final Path root;
  private final MovableProxy link;
  private EmbeddedPostgres primary;
  private EmbeddedPostgres standby;
  private final int primaryPort;
  private final int standbyPort;

  private ReplicatedPostgres(Path root, int primaryPort, int standbyPort) {
    this.root = root;
    this.primaryPort = primaryPort;
    this.standbyPort = standbyPort;
    this.link = MovableProxy.to(primaryPort);
  }

  /** Makes the pair under {@code root} and waits until the standby streams from the primary. */
  public static ReplicatedPostgres start(Path root, boolean synchronous) throws Exception {
    ReplicatedPostgres pair = new ReplicatedPostgres(root, freePort(), freePort());
    try {
      pair.startBoth(synchronous);
      return pair;
    } catch (Exception | AssertionError e) {
      pair.close();
      throw e;
    }
  }

  private void startBoth(boolean synchronous) throws Exception {
    // 1. A fresh cluster, stopped cleanly so that a file copy of it is a consistent base backup.
    server(primaryDir(), primaryPort, Map.of()).close();
    // 2. The copy, told it is a standby of the primary (through the link).
    copy(primaryDir(), standbyDir());
    Files.writeString(standbyDir().resolve("standby.signal"), "");
    Files.writeString(
        standbyDir().resolve("postgresql.auto.conf"),
        "primary_conninfo = 'host=127.0.0.1 port="
            + link.port()
            + " user=postgres application_name="
            + STANDBY_NAME
            + "'\n",
        StandardOpenOption.APPEND);
    // 3. Both running; the primary waits for the standby's flush on every commit if synchronous.
    primary =
        server(
            primaryDir(),
            primaryPort,
            synchronous ? Map.of("synchronous_standby_names", STANDBY_NAME) : Map.of());
    standby = server(standbyDir(), standbyPort, Map.of());
    String state = synchronous ? "sync" : "async";
    Eventually.until(
        "the standby to stream from the primary (" + state + ")",
        START_WAIT,
        () -> replicationStates().contains(state));
  }

  private static EmbeddedPostgres server(Path dir, int port, Map<String, String> settings)
      throws IOException {
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder()
            .setDataDirectory(dir)
            .setCleanDataDirectory(false)
            .setPort(port)
            .setRegisterShutdownHook(false)
            .setPGStartupWait(START_WAIT)
            .setServerConfig("listen_addresses", "127.0.0.1")
            // TCP only: a unix socket in /tmp outlives a killed server, and a later server given
            // the same port number would be taken for reachable without a password.
            .setServerConfig("unix_socket_directories", "")
            .setServerConfig("fsync", "on")
            .setServerConfig("synchronous_commit", "on")
            // Enough WAL kept for a standby that was cut off for a while to catch up.
            .setServerConfig("wal_keep_size", "256MB")
            .setOutputRedirector(ProcessBuilder.Redirect.DISCARD)
            .setErrorRedirector(ProcessBuilder.Redirect.DISCARD);
    settings.forEach(builder::setServerConfig);
    return builder.start();
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (NOT_COPIED.contains(f.getFileName().toString())) {
          continue;
        }
        // With its attributes: Postgres refuses a data directory others may read.
        Files.copy(f, to.resolve(from.relativize(f)), StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
  }

  /** The primary's {@code pg_stat_replication.sync_state} of each standby streaming from it. */
  public List<String> replicationStates() throws SQLException {
    return AuditTables.strings(
        superuser(primaryPort),
        "SELECT sync_state FROM pg_stat_replication WHERE application_name = '"
            + STANDBY_NAME
            + "' AND state = 'streaming'");
  }

  /**
   * The primary dies at once (SIGKILL to the postmaster): no shutdown checkpoint, no goodbye to its
   * clients; its backends end as they notice.
   */
  public void killPrimary() throws Exception {
    long pid = Long.parseLong(Files.readAllLines(primaryDir().resolve("postmaster.pid")).get(0));
    Optional<ProcessHandle> postmaster = ProcessHandle.of(pid);
    if (postmaster.isPresent()) {
      postmaster.get().destroyForcibly();
      postmaster.get().onExit().get(Patience.seconds(30), TimeUnit.MILLISECONDS);
    }
  }

  /** Ends replication from the primary: the standby's link points nowhere from now on. */
  public void cutReplication() {
    link.moveTo(MovableProxy.NOWHERE);
  }

  /** Promotes the standby and returns once it takes writes. */
  public void promoteStandby() throws SQLException {
    List<String> promoted =
        AuditTables.strings(superuser(standbyPort), "SELECT pg_promote(true, 60)");
    if (!"t".equals(promoted.get(0))) {
      throw new IllegalStateException("the standby was not promoted within 60 s");
    }
  }

  public int primaryPort() {
    return primaryPort;
  }

  public int standbyPort() {
    return standbyPort;
  }

  /** The {@code postgres} database on one of the pair, as the (trusted) superuser. */
  public static DatabaseUrl superuser(int port) {
    return new DatabaseUrl("127.0.0.1", port, "postgres", "postgres", "", Map.of());
  }

  private Path primaryDir() {
    return root.resolve("primary");
  }

  private Path standbyDir() {
    return root.resolve("standby");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Stops whichever servers still run (a killed primary's stop fails quietly) and the link. */
  @Override
  public void close() throws IOException {
    link.close();
    try {
      if (standby != null) {
        standby.close();
      }
    } finally {
      if (primary != null) {
        primary.close();
      }
      TestPostgres.deleteTree(root);
    }
  }
}
