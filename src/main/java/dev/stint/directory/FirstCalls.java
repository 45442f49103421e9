package dev.stint.directory;

import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.identity.Directory;
import dev.stint.identity.Person;
import dev.stint.identity.Principal;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Directory} callers are admitted through while SCIM is on: what the in-memory {@link
 * DirectoryView} says, and, for a person of {@code directory.issuer} it does not know, what the
 * database says, asked before their call is admitted ({@link #admitNow}). A provider pushes a user
 * when it is assigned, often before the person ever uses stint, and may push it inactive (a leaver
 * never seen, a user disabled first): without this, that person's first call would be admitted on
 * their token's groups, and a vote cast in it would stand.
 *
 * <p>The look ({@code look}: record the person as seen, then {@link Sightings#look}) matches the
 * person's unmatched users and answers their standing, read in the same transaction, so the call is
 * judged by it at once, before the view has heard of the match. It is kept cheap:
 *
 * <ul>
 *   <li>only a person the view does not know is looked for, and only one of the directory's issuer;
 *   <li>a person found unknown is not looked for again on this replica for {@link #UNKNOWN_FOR}: a
 *       user written for them meanwhile is matched by that write (they are among the people seen),
 *       and the view then knows them;
 *   <li>a person found known is answered from the look until the view has been read since;
 *   <li>calls of one person share one look; at most {@link #MAX_LOOKS} looks wait at once, and at
 *       most {@link #REMEMBERED} answers are kept.
 * </ul>
 *
 * A look that fails, takes longer than {@link #TIMEOUT}, or cannot start because too many wait,
 * fails the call as unavailable (503): it is never admitted on its token's groups instead.
 */
public final class FirstCalls implements Directory {
  private static final Logger LOG = LoggerFactory.getLogger(FirstCalls.class);

  /** How long a person found unknown is not looked for again. */
  static final Duration UNKNOWN_FOR = Duration.ofMinutes(10);

  /** How long a call waits for its look before it is answered 503. */
  static final Duration TIMEOUT = Duration.ofSeconds(3);

  /** Looks waiting at once; past it, a call that would start one is answered 503. */
  static final int MAX_LOOKS = 64;

  /** Answers kept; past it, all are forgotten (each is one look to make again). */
  static final int REMEMBERED = 50_000;

  static final String UNAVAILABLE =
      "the directory could not be asked about this person in time: try again shortly";

  /** A look's answer and when it was made. */
  private record Looked(Standing standing, Instant at) {}

  private final Vertx vertx;
  private final Directory view;
  private final Supplier<Instant> viewReadAt;
  private final Supplier<Optional<String>> issuerUrl;
  private final Function<Principal, Future<Standing>> look;
  private final Clock clock;
  private final Duration timeout;
  private final Map<String, Looked> looked = new ConcurrentHashMap<>();
  private final Map<String, Future<Standing>> looking = new ConcurrentHashMap<>();

  /**
   * {@code view} answers first, {@code viewReadAt} says when it last read the directory; {@code
   * issuerUrl} is the directory's issuer's URL in the policy in force; {@code look} records the
   * person as seen and answers what the database says of them.
   */
  public FirstCalls(
      Vertx vertx,
      Directory view,
      Supplier<Instant> viewReadAt,
      Supplier<Optional<String>> issuerUrl,
      Function<Principal, Future<Standing>> look,
      Clock clock) {
    this(vertx, view, viewReadAt, issuerUrl, look, clock, TIMEOUT);
  }

  /** As above, waiting {@code timeout} for a look (tests wait less than {@link #TIMEOUT}). */
  FirstCalls(
      Vertx vertx,
      Directory view,
      Supplier<Instant> viewReadAt,
      Supplier<Optional<String>> issuerUrl,
      Function<Principal, Future<Standing>> look,
      Clock clock,
      Duration timeout) {
    this.timeout = timeout;
    this.vertx = vertx;
    this.view = view;
    this.viewReadAt = viewReadAt;
    this.issuerUrl = issuerUrl;
    this.look = look;
    this.clock = clock;
  }

  @Override
  public Standing standing(Person person) {
    return view.standing(person);
  }

  @Override
  public Future<Optional<Principal>> admitNow(Principal p) {
    Standing known = view.standing(p.person());
    if (!(known instanceof Standing.Unknown)
        || issuerUrl.get().filter(p.issuer()::equals).isEmpty()) {
      return Future.succeededFuture(Directory.admit(p, known));
    }
    String key = p.issuer() + "\n" + p.subject();
    Optional<Standing> remembered = remembered(key);
    if (remembered.isPresent()) {
      return Future.succeededFuture(Directory.admit(p, remembered.get()));
    }
    return inTime(shared(key, p)).map(s -> Directory.admit(p, s));
  }

  /** An answer still good: unknown lately, or known and not yet read by the view. */
  private Optional<Standing> remembered(String key) {
    Looked l = looked.get(key);
    if (l == null) {
      return Optional.empty();
    }
    boolean good =
        l.standing() instanceof Standing.Unknown
            ? l.at().isAfter(clock.instant().minus(UNKNOWN_FOR))
            : !viewReadAt.get().isAfter(l.at());
    return good ? Optional.of(l.standing()) : Optional.empty();
  }

  /** The look under way for this person, or a new one; a failed future when too many wait. */
  private Future<Standing> shared(String key, Principal p) {
    Future<Standing> under = looking.get(key);
    if (under != null) {
      return under;
    }
    if (looking.size() >= MAX_LOOKS) {
      LOG.warn("{} directory looks already wait: {} refused for now", MAX_LOOKS, p.display());
      return Future.failedFuture(unavailable());
    }
    Promise<Standing> mine = Promise.promise();
    under = looking.putIfAbsent(key, mine.future());
    if (under != null) {
      return under;
    }
    Instant at = clock.instant();
    Future<Standing> started;
    try {
      started = look.apply(p);
    } catch (RuntimeException e) {
      started = Future.failedFuture(e);
    }
    started.onComplete(
        done -> {
          looking.remove(key, mine.future());
          if (done.succeeded()) {
            if (looked.size() >= REMEMBERED) {
              looked.clear();
            }
            looked.put(key, new Looked(done.result(), at));
          } else {
            LOG.warn(
                "could not look for {} in the directory: {}", p.display(), done.cause().toString());
          }
          mine.handle(done);
        });
    return mine.future();
  }

  /** {@code answer}, or unavailable once the timeout has passed without it. */
  private Future<Standing> inTime(Future<Standing> answer) {
    if (answer.isComplete()) {
      return answer.recover(e -> Future.failedFuture(unavailable()));
    }
    Promise<Standing> out = Promise.promise();
    long timer = vertx.setTimer(timeout.toMillis(), t -> out.tryFail(unavailable()));
    answer.onComplete(
        done -> {
          vertx.cancelTimer(timer);
          if (done.succeeded()) {
            out.tryComplete(done.result());
          } else {
            out.tryFail(unavailable());
          }
        });
    return out.future();
  }

  private static StintException unavailable() {
    return new StintException(ErrorCode.UNAVAILABLE, UNAVAILABLE);
  }
}
