package dev.stint.directory;

import dev.stint.identity.Directory;
import dev.stint.identity.Person;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.pubsub.PgChannel;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the directory says of each person, held in memory on every replica, because every admitted
 * call asks it ({@link Directory}). It is read whole from Postgres:
 *
 * <ul>
 *   <li>at start, before the server takes calls;
 *   <li>whenever a committed change to the directory is announced on {@code stint_directory} (the
 *       V36 triggers; any replica's write, the deprovisioning marks included), and on every
 *       (re)connection of that LISTEN, for what it missed meanwhile;
 *   <li>every {@link #REREAD_EVERY} in any case, should a connection die without a word.
 * </ul>
 *
 * Reads never overlap: a change announced during one is read by the next. A read that fails keeps
 * the last answer (a person's groups a little older, never a deprovisioned person admitted who was
 * refused) and is tried again shortly.
 *
 * <p>A person the directory knows has the groups of their active users; a person with a
 * deprovisioned mark in force is refused whatever else is known. Groups are used only while {@code
 * groupsInForce} says the directory is switched on; marks refuse either way, since turning the
 * directory off must not let a leaver back in.
 */
public final class DirectoryView implements Directory {
  private static final Logger LOG = LoggerFactory.getLogger(DirectoryView.class);
  static final String CHANNEL = "stint_directory";
  static final Duration REREAD_EVERY = Duration.ofSeconds(30);
  static final Duration RETRY_AFTER = Duration.ofSeconds(1);

  static final String MEMBERS =
      "SELECT u.issuer, u.subject, u.active, g.display_name FROM directory_users u"
          + " LEFT JOIN directory_members m ON m.user_id = u.id"
          + " LEFT JOIN directory_groups g ON g.id = m.group_id"
          + " WHERE u.subject IS NOT NULL";
  static final String MARKS =
      "SELECT issuer, subject, at FROM directory_deprovisioned WHERE lifted_at IS NULL";

  /** What was read, keyed by issuer URL and subject. */
  private record Snapshot(Map<String, Standing> people, Instant readAt) {}

  private final Vertx vertx;
  private final Pool pool;
  private final Supplier<PgSubscriber> subscribers;
  private final BooleanSupplier groupsInForce;
  private final Clock clock;
  private final Context context;
  private volatile Snapshot snapshot = new Snapshot(Map.of(), Instant.EPOCH);
  private PgSubscriber pg;
  private long timer = -1;
  private boolean reading;
  private boolean again;
  private volatile long failures;

  public DirectoryView(
      Vertx vertx,
      Pool pool,
      Supplier<PgSubscriber> subscribers,
      BooleanSupplier groupsInForce,
      Clock clock) {
    this.vertx = vertx;
    this.pool = pool;
    this.subscribers = subscribers;
    this.groupsInForce = groupsInForce;
    this.clock = clock;
    this.context = vertx.getOrCreateContext();
  }

  @Override
  public Standing standing(Person person) {
    Standing s = snapshot.people().get(key(person.issuer(), person.subject()));
    if (s == null || (s instanceof Standing.Member && !groupsInForce.getAsBoolean())) {
      return new Standing.Unknown();
    }
    return s;
  }

  /** Reads the directory, then listens for its changes; complete once the first read is in. */
  public Future<Void> start() {
    Promise<Void> started = Promise.promise();
    context.runOnContext(
        v ->
            read()
                .compose(
                    x -> {
                      // The database's own LISTEN connection: a silent one is found by its
                      // keepalive query and dropped, then reconnected and read again.
                      pg = subscribers.get();
                      // Keep trying for as long as stint runs: the announcements must come back.
                      pg.reconnectPolicy(attempt -> RETRY_AFTER.toMillis());
                      PgChannel channel = pg.channel(CHANNEL);
                      channel.subscribeHandler(y -> reread());
                      channel.handler(payload -> reread());
                      timer = vertx.setPeriodic(REREAD_EVERY.toMillis(), t -> reread());
                      return pg.connect();
                    })
                .onComplete(started));
    return started.future();
  }

  public Future<Void> close() {
    context.runOnContext(
        v -> {
          if (timer != -1) {
            vertx.cancelTimer(timer);
          }
        });
    return pg == null ? Future.succeededFuture() : pg.close();
  }

  /** When the answers in memory were read (the epoch before the first read). */
  public Instant readAt() {
    return snapshot.readAt();
  }

  /** Reads that failed since start (each kept the answer before it). */
  public long failures() {
    return failures;
  }

  /** Reads again now, or right after the read under way. On the view's own context. */
  private void reread() {
    if (reading) {
      again = true;
      return;
    }
    read()
        .onFailure(
            e -> {
              failures++;
              LOG.warn("could not read the directory, keeping the last answer: {}", e.getMessage());
              vertx.setTimer(RETRY_AFTER.toMillis(), t -> reread());
            });
  }

  private Future<Void> read() {
    reading = true;
    again = false;
    Instant at = clock.instant();
    return pool.preparedQuery(MEMBERS)
        .execute()
        .compose(members -> pool.preparedQuery(MARKS).execute().map(marks -> build(members, marks)))
        .map(
            people -> {
              snapshot = new Snapshot(people, at);
              return (Void) null;
            })
        .onComplete(
            done -> {
              reading = false;
              if (again && done.succeeded()) {
                reread();
              }
            });
  }

  static Map<String, Standing> build(RowSet<Row> members, RowSet<Row> marks) {
    Map<String, SortedSet<String>> groups = new HashMap<>();
    for (Row r : members) {
      SortedSet<String> mine =
          groups.computeIfAbsent(key(r.getString(0), r.getString(1)), k -> new TreeSet<>());
      if (r.getBoolean(2) && r.getString(3) != null) {
        mine.add(r.getString(3));
      }
    }
    Map<String, Standing> people = new HashMap<>();
    groups.forEach((k, g) -> people.put(k, new Standing.Member(List.copyOf(g))));
    for (Row r : marks) {
      people.put(
          key(r.getString(0), r.getString(1)),
          new Standing.Deprovisioned(r.getOffsetDateTime(2).toInstant()));
    }
    return Map.copyOf(people);
  }

  private static String key(String issuer, String subject) {
    return issuer + "\n" + subject;
  }
}
