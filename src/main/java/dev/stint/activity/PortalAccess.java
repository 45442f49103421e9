package dev.stint.activity;

import dev.stint.cloud.AccountAssignment;
import dev.stint.common.Timestamps;
import dev.stint.mint.ActivityLookup;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The portal access of each IAM Identity Center grant ({@code activity_portal_access}, V59): what
 * stands for the sessions AWS issues the grant's person on the permission set's provisioned role,
 * where a credential stands for a minted grant. Its id is the credential id of its lookup and of
 * the calls kept for it, so the per-request view, the report of grants never used, the reviews'
 * evidence and the findings read those calls as they read a credential's.
 *
 * <p>A call is a grant's portal access's when all of these hold:
 *
 * <ul>
 *   <li>a role session made it ({@link PortalCaller}) in the grant's account, named after the
 *       grant's user (case and all, as {@code aws:userid} carries it);
 *   <li>the role is the grant's permission set's provisioned role in that account, found through
 *       {@link PortalRoleFinder} once and kept: the same user's sessions of another permission set,
 *       or of a role someone named after them, are not the grant's;
 *   <li>its time is within the grant's window: from its assignment's creation to its end (its
 *       revocation when earlier), {@link #SKEW} either side for clocks that differ.
 * </ul>
 *
 * Two grants of one user on the same permission set and account may overlap (their assignment is
 * shared): a call in both windows is the grant whose assignment was made latest before it (ties:
 * the smaller grant id), so every source files it under one grant. A call that is no grant's is not
 * kept, and counted.
 */
public final class PortalAccess {
  /**
   * How far a call may fall outside its grant's window: clocks differ a little (stint's, AWS's).
   */
  static final Duration SKEW = Duration.ofMinutes(5);

  private static final String WITHIN = "interval '" + SKEW.toMinutes() + " minutes'";

  private static final String COLUMNS =
      "SELECT p.id, p.grant_id, p.request_id, p.instance_arn, p.identity_store_id, p.account_id,"
          + " p.permission_set_arn, p.user_name, p.role_arn, p.from_at, u.ended_at"
          + " FROM activity_portal_access p JOIN grant_usage u ON u.request_id = p.request_id";

  static final String SOME = COLUMNS + " WHERE p.id = ANY($1)";

  /** The grants whose window holds a call of {@code $2} in account {@code $1} at {@code $3}. */
  static final String AT =
      COLUMNS
          + " WHERE p.account_id = $1 AND p.user_name = $2 AND p.from_at <= $3::timestamptz + "
          + WITHIN
          + " AND u.ended_at >= $3::timestamptz - "
          + WITHIN
          + " ORDER BY p.from_at DESC, p.grant_id";

  static final String ROLE =
      "UPDATE activity_portal_access SET role_arn = $2 WHERE id = $1 AND role_arn IS NULL";

  static final String ORIGINS =
      "SELECT p.id, p.request_id, p.grant_id, u.requester_issuer, u.requester_subject, u.profile"
          + " FROM activity_portal_access p JOIN grant_usage u ON u.request_id = p.request_id"
          + " WHERE p.id = ANY($1)";

  /**
   * One grant's portal access: where its assignment is, whose user, the provisioned role once
   * found, and its window.
   */
  record Portal(
      String id,
      String grantId,
      String requestId,
      AccountAssignment at,
      String userName,
      Optional<String> roleArn,
      Instant from,
      Instant until) {}

  /**
   * Whose portal access {@code credentialId} is, as a finding names whose key made a call: the
   * request, the grant, the person who asked for it, the profile.
   */
  public record Origin(
      String credentialId,
      String requestId,
      String grantId,
      String holderIssuer,
      String holderSubject,
      String profile) {}

  private final Pool pool;
  private final PortalRoleFinder roles;
  private final AtomicLong ignored = new AtomicLong();

  PortalAccess(Pool pool, PortalRoleFinder roles) {
    this.pool = pool;
    this.roles = roles;
  }

  /** The portal accesses among {@code ids}, by id. */
  Future<Map<String, Portal>> some(List<String> ids) {
    return pool.preparedQuery(SOME)
        .execute(Tuple.tuple().addArrayOfString(ids.toArray(String[]::new)))
        .map(
            rows -> {
              Map<String, Portal> out = new LinkedHashMap<>();
              rows.forEach(r -> out.put(r.getString("id"), portal(r)));
              return out;
            });
  }

  /** {@code p} with its provisioned role, found and kept the first time. */
  Future<Portal> withRole(Portal p) {
    if (p.roleArn().isPresent()) {
      return Future.succeededFuture(p);
    }
    return roles
        .roleArn(p.grantId())
        .compose(
            arn ->
                pool.preparedQuery(ROLE)
                    .execute(Tuple.of(p.id(), arn))
                    .map(
                        x ->
                            new Portal(
                                p.id(),
                                p.grantId(),
                                p.requestId(),
                                p.at(),
                                p.userName(),
                                Optional.of(arn),
                                p.from(),
                                p.until())));
  }

  /** The grant whose portal access made {@code call}, by the rules above; empty for none. */
  Future<Optional<Portal>> owner(ActivityLookup.Call call) {
    Optional<PortalCaller> caller = PortalCaller.of(call);
    if (caller.isEmpty()) {
      return Future.succeededFuture(Optional.empty());
    }
    return pool.preparedQuery(AT)
        .execute(
            Tuple.of(
                caller.get().account(), caller.get().sessionName(), Timestamps.utc(call.time())))
        .compose(
            rows -> {
              List<Portal> candidates = new ArrayList<>();
              rows.forEach(r -> candidates.add(portal(r)));
              return first(candidates, 0, caller.get());
            });
  }

  private Future<Optional<Portal>> first(List<Portal> candidates, int i, PortalCaller caller) {
    if (i == candidates.size()) {
      return Future.succeededFuture(Optional.empty());
    }
    return withRole(candidates.get(i))
        .compose(
            p ->
                caller.on(p.roleArn().orElseThrow())
                    ? Future.succeededFuture(Optional.of(p))
                    : first(candidates, i + 1, caller));
  }

  /**
   * {@code calls}, found by {@code looked}'s user name, by the portal access each is ({@link
   * #owner}), one after another; those of none are left out and counted ({@link #ignored}). A call
   * not of {@code looked}'s user on its role (found already) is none without asking: a grant that
   * shares its assignment shares its role.
   */
  Future<Map<Portal, List<ActivityLookup.Call>>> owners(
      Portal looked, List<ActivityLookup.Call> calls) {
    Map<Portal, List<ActivityLookup.Call>> out = new LinkedHashMap<>();
    Future<Void> all = Future.succeededFuture();
    for (ActivityLookup.Call c : calls) {
      Optional<PortalCaller> caller = PortalCaller.of(c);
      if (caller.isEmpty()
          || !caller.get().sessionName().equals(looked.userName())
          || looked.roleArn().filter(caller.get()::on).isEmpty()) {
        ignored.incrementAndGet();
        continue;
      }
      all =
          all.compose(
              x ->
                  owner(c)
                      .map(
                          o -> {
                            o.ifPresentOrElse(
                                p -> out.computeIfAbsent(p, k -> new ArrayList<>()).add(c),
                                ignored::incrementAndGet);
                            return null;
                          }));
    }
    return all.map(out);
  }

  /**
   * Calls a lookup by user name found that are no grant's portal access's (the person's sessions of
   * another permission set or account, or outside every grant's window): not kept.
   */
  public long ignored() {
    return ignored.get();
  }

  /** Whose portal accesses {@code ids} are, as far as they are any (on {@code client}). */
  public static Future<List<Origin>> origins(SqlClient client, List<String> ids) {
    return client
        .preparedQuery(ORIGINS)
        .execute(Tuple.tuple().addArrayOfString(ids.toArray(String[]::new)))
        .map(
            rows -> {
              List<Origin> out = new ArrayList<>();
              for (Row r : rows) {
                out.add(
                    new Origin(
                        r.getString("id"),
                        r.getString("request_id"),
                        r.getString("grant_id"),
                        r.getString("requester_issuer"),
                        r.getString("requester_subject"),
                        r.getString("profile")));
              }
              return out;
            });
  }

  private static Portal portal(Row r) {
    return new Portal(
        r.getString("id"),
        r.getString("grant_id"),
        r.getString("request_id"),
        new AccountAssignment(
            r.getString("instance_arn"),
            r.getString("identity_store_id"),
            r.getString("account_id"),
            r.getString("permission_set_arn")),
        r.getString("user_name"),
        Optional.ofNullable(r.getString("role_arn")),
        r.getOffsetDateTime("from_at").toInstant(),
        r.getOffsetDateTime("ended_at").toInstant());
  }
}
