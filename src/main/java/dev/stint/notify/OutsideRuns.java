package dev.stint.notify;

import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Groups the alarms for roles assumed outside stint, so a script assuming a role every minute pages
 * once, not every minute: the first assumption of a role by a caller from an address is told at
 * once (another caller, or the same one from another address, is told at once too); the ones after
 * it, within a window, are counted and told together when the window ends; a window that saw any
 * starts another, and one that saw none closes the run, so the next assumption is told at once
 * again. Every assumption is still recorded in the audit one by one. The runs are this replica's:
 * each replica groups the assumptions it recorded.
 */
final class OutsideRuns {
  /** The alarms the runs decide on: an assumption told at once, or a window's count. */
  interface Tell {
    void first(String role, String caller, Map<String, Object> details);

    void more(String role, String caller, int count, Instant since, Instant until);
  }

  private record Key(String role, String caller, String address) {}

  private static final class Run {
    private Instant since;
    private int more;

    private Run(Instant since) {
      this.since = since;
    }
  }

  private final Vertx vertx;
  private final Duration window;
  private final Clock clock;
  private final Tell tell;
  private final Map<Key, Run> runs = new HashMap<>();

  OutsideRuns(Vertx vertx, Duration window, Clock clock, Tell tell) {
    this.vertx = vertx;
    this.window = window;
    this.clock = clock;
    this.tell = tell;
  }

  /**
   * One assumption outside stint. {@code principal} is the caller without what the caller chose (a
   * role session's name), so one script's sessions count as one caller.
   */
  void assumed(String role, String principal, String caller, Map<String, Object> details) {
    Key key = new Key(role, principal, String.valueOf(details.get("source_ip")));
    boolean first;
    synchronized (runs) {
      Run run = runs.get(key);
      first = run == null;
      if (first) {
        runs.put(key, new Run(clock.instant()));
      } else {
        run.more++;
      }
    }
    if (first) {
      tell.first(role, caller, details);
      vertx.setTimer(window.toMillis(), t -> windowEnded(key, principal));
    }
  }

  private void windowEnded(Key key, String principal) {
    Instant now = clock.instant();
    int more;
    Instant since;
    synchronized (runs) {
      Run run = runs.get(key);
      more = run.more;
      since = run.since;
      if (more == 0) {
        runs.remove(key);
      } else {
        run.more = 0;
        run.since = now;
      }
    }
    if (more > 0) {
      tell.more(key.role(), principal, more, since, now);
      vertx.setTimer(window.toMillis(), t -> windowEnded(key, principal));
    }
  }

  /** Runs still open: some assumption was told or counted within the last window. */
  int open() {
    synchronized (runs) {
      return runs.size();
    }
  }

  /**
   * The caller as a principal: an assumed-role session's ARN without its session name, which the
   * caller picks; but whole for an IAM Identity Center role, whose session name AWS sets to the
   * person signed in; any other caller as given.
   */
  static String principal(String caller) {
    int at = caller.indexOf(":assumed-role/");
    if (at < 0) {
      return caller;
    }
    int roleStart = at + ":assumed-role/".length();
    int roleEnd = caller.indexOf('/', roleStart);
    if (roleEnd < 0 || caller.startsWith(IDENTITY_CENTER_ROLES, roleStart)) {
      return caller;
    }
    return caller.substring(0, roleEnd);
  }

  /** The names IAM Identity Center gives the roles of its permission sets. */
  private static final String IDENTITY_CENTER_ROLES = "AWSReservedSSO_";
}
