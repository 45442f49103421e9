package dev.stint.activity;

import dev.stint.cloud.Cloud;
import dev.stint.ledger.Ledger;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a request's credentials were used for, for whoever may see the request (the caller checks
 * that first): the summary, what stint can see of their calls ({@link Visibility}), a page of the
 * calls, newest first, and when the sources last looked.
 */
public final class GrantActivity {
  /** Calls per page. */
  public static final int PAGE = 100;

  /** The source that looks each credential up in CloudTrail's event history. */
  static final String LOOKUP = "cloudtrail_lookup";

  /** The source that looks each Entra token for Resource Manager up in Azure's Activity Log. */
  static final String AZURE_LOOKUP = "azure_activity_log_lookup";

  /** The source EventBridge pushes CloudTrail's events to. */
  static final String INGEST = "cloudtrail_ingest";

  private final ActivityStore store;
  private final IngestStore ingest;
  private final UsageFold usage;

  /**
   * {@code ledger}: the credentials each lookup and each delivered call is about; {@code push}:
   * whether the CloudTrail ingest is on ({@code activity.ingest_token} set), without which no data
   * event is ever seen.
   */
  public GrantActivity(Pool pool, Ledger ledger, Visibility.Push push) {
    this(pool, ledger, push, PortalRoleFinder.NONE);
  }

  /**
   * {@code roles}: where an Identity Center grant's provisioned role is, whose portal sessions'
   * calls are the grant's ({@link PortalAccess}).
   */
  public GrantActivity(Pool pool, Ledger ledger, Visibility.Push push, PortalRoleFinder roles) {
    PortalAccess portals = new PortalAccess(pool, roles);
    this.store = new ActivityStore(pool, ledger, portals, push);
    this.ingest = new IngestStore(pool, ledger, portals);
    this.usage = new UsageFold(pool);
  }

  /**
   * Calls a lookup by an Identity Center user's name found that are no grant's (the person's
   * sessions of another permission set or account, or outside every grant's window): not kept.
   */
  public long portalCallsIgnored() {
    return store.portals().ignored();
  }

  /**
   * Told after each keep of calls commits, whichever source kept them (a lookup, a push): what
   * reads the calls as they are kept (the findings, from a queue the migrations fill in the keep's
   * own transaction) looks at once instead of at its next round. Must return at once and never
   * throw.
   */
  public void afterKeep(Runnable poke) {
    store.afterKeep(poke);
  }

  /** The store the rounds and the ingest share. */
  ActivityStore store() {
    return store;
  }

  /** The rounds' folding of the usage tallies into the grants' usage rows. */
  UsageFold usage() {
    return usage;
  }

  /** The ledger as delivered events and role assumptions are checked against it. */
  IngestStore ingestStore() {
    return ingest;
  }

  /**
   * A source of calls and when it last looked up every credential of the request (the lookups), or
   * last delivered an event of any request (the ingest: a stopped delivery shows there).
   */
  public record Source(String name, Optional<Instant> checkedAt) {}

  /** The answer of {@code GET /v1/requests/{id}/activity}. */
  public record View(
      ActivitySummary summary,
      Visibility visibility,
      List<ActivityEvent> events,
      List<Source> sources,
      Optional<String> nextCursor) {
    /** No call seen, and every call the credentials could make would have been: not used. */
    public boolean unused() {
      return summary.noCallSeen() && visibility.whole();
    }
  }

  /** {@code cursor}, when given, is a {@code next_cursor} this gave; anything else is refused. */
  public Future<View> of(String requestId, Optional<String> cursor) {
    return of(ActivityReads.Scope.of(requestId), cursor);
  }

  /**
   * The calls made with {@code credentialIds} of request {@code requestId} alone (a task lease's
   * credentials), read as {@link #of(String, Optional)} reads the request's: its summary, its page
   * of calls and its sources' last lookups of those credentials.
   */
  public Future<View> ofCredentials(
      String requestId, List<String> credentialIds, Optional<String> cursor) {
    return of(new ActivityReads.Scope(requestId, Optional.of(credentialIds)), cursor);
  }

  /**
   * Whether every one of {@code credentialIds} of {@code requestId} has had its last lookup, so no
   * late record can still add a call.
   */
  public Future<Boolean> settled(String requestId, List<String> credentialIds) {
    return store.reads().settled(new ActivityReads.Scope(requestId, Optional.of(credentialIds)));
  }

  private Future<View> of(ActivityReads.Scope scope, Optional<String> cursor) {
    Optional<ActivityCursor> after = cursor.map(ActivityCursor::decode);
    ActivityReads reads = store.reads();
    Future<ActivitySummary> summary = reads.summary(scope);
    Future<Visibility> visibility = summary.compose(x -> reads.visibility(scope));
    Future<List<ActivityEvent>> events =
        visibility.compose(x -> reads.events(scope, after, PAGE + 1));
    return events
        .compose(x -> sources(scope))
        .map(
            sources ->
                view(
                    new View(
                        summary.result(),
                        visibility.result(),
                        events.result(),
                        sources,
                        Optional.empty())));
  }

  /**
   * CloudTrail's lookups (unless the scope's only lookups are Azure's), Azure's when the scope has
   * a token looked up there, and the ingest once it has delivered anything.
   */
  private Future<List<Source>> sources(ActivityReads.Scope scope) {
    return store
        .reads()
        .checkedAt(scope)
        .compose(
            checked ->
                ingest
                    .receivedAt(INGEST)
                    .map(
                        received -> {
                          String aws = Cloud.AWS.name();
                          String azure = Cloud.AZURE.name();
                          List<Source> out = new ArrayList<>();
                          if (checked.containsKey(aws) || !checked.containsKey(azure)) {
                            out.add(
                                new Source(LOOKUP, checked.getOrDefault(aws, Optional.empty())));
                          }
                          if (checked.containsKey(azure)) {
                            out.add(new Source(AZURE_LOOKUP, checked.get(azure)));
                          }
                          received.ifPresent(r -> out.add(new Source(INGEST, Optional.of(r))));
                          return List.copyOf(out);
                        }));
  }

  /** {@code read} with its calls cut to a page, and the cursor of the next when there is one. */
  private static View view(View read) {
    List<ActivityEvent> events = read.events();
    boolean more = events.size() > PAGE;
    List<ActivityEvent> page = more ? events.subList(0, PAGE) : events;
    Optional<String> next =
        more
            ? Optional.of(
                new ActivityCursor(page.get(PAGE - 1).time(), page.get(PAGE - 1).eventId())
                    .encode())
            : Optional.empty();
    return new View(read.summary(), read.visibility(), List.copyOf(page), read.sources(), next);
  }
}
