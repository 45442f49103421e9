package dev.stint.revocation;

import dev.stint.mint.SessionRevoker.Cutoff;
import dev.stint.mint.SessionRevoker.PersonCutoff;
import dev.stint.mint.SessionRevoker.UserCutoff;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code revocation_cutoffs} table: the targets whose revocations did not fit what their cloud
 * could name one by one, where every stint session issued before a time is ended instead; and
 * {@code revocation_person_cutoffs}: the people whose revoked grants on a target were collapsed to
 * a cutoff of their own first; {@code revocation_user_cutoffs}: the users whose sessions of a role
 * the cloud issued itself (IAM Identity Center's portal sessions), denied up to their revoke in the
 * target the row names (the member account's portal revocation policy).
 */
final class Cutoffs {
  static final String FIND =
      "SELECT cutoff, covers_before, until FROM revocation_cutoffs"
          + " WHERE role_arn = $1 AND until > $2";
  static final String SAVE =
      "INSERT INTO revocation_cutoffs (role_arn, cutoff, covers_before,"
          + " until, grant_id, updated_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (role_arn)"
          + " DO UPDATE SET cutoff = EXCLUDED.cutoff, covers_before = EXCLUDED.covers_before,"
          + " until = EXCLUDED.until, grant_id = EXCLUDED.grant_id, updated_at = EXCLUDED.updated_at";

  static final String PERSONS =
      "SELECT person, cutoff, covers_before, until FROM revocation_person_cutoffs"
          + " WHERE role_arn = $1 AND until > $2 ORDER BY person";
  static final String SAVE_PERSON =
      "INSERT INTO revocation_person_cutoffs (role_arn, person, cutoff, covers_before, until,"
          + " grant_id, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (role_arn, person)"
          + " DO UPDATE SET cutoff = EXCLUDED.cutoff, covers_before = EXCLUDED.covers_before,"
          + " until = greatest(revocation_person_cutoffs.until, EXCLUDED.until),"
          + " grant_id = EXCLUDED.grant_id, updated_at = EXCLUDED.updated_at";

  static final String USERS =
      "SELECT role_arn, user_name, cutoff, until FROM revocation_user_cutoffs"
          + " WHERE target = $1 AND until > $2 ORDER BY role_arn, user_name";

  /**
   * A later revoke of the same user's grant on the target moves the cutoff on, never back; the
   * target is always the latest's, so the cutoff is rendered where the role's deny is written now.
   */
  static final String SAVE_USER =
      "INSERT INTO revocation_user_cutoffs (role_arn, user_name, cutoff, until, grant_id,"
          + " updated_at, target) VALUES ($1, $2, $3, $4, $5, $6, $7)"
          + " ON CONFLICT (role_arn, user_name)"
          + " DO UPDATE SET cutoff = greatest(revocation_user_cutoffs.cutoff, EXCLUDED.cutoff),"
          + " until = greatest(revocation_user_cutoffs.until, EXCLUDED.until),"
          + " grant_id = EXCLUDED.grant_id, updated_at = EXCLUDED.updated_at,"
          + " target = EXCLUDED.target";

  private final Pool pool;

  Cutoffs(Pool pool) {
    this.pool = pool;
  }

  /** The target's cutoff still in force at {@code now}. */
  Future<Optional<Cutoff>> of(String target, Instant now) {
    return pool.preparedQuery(FIND)
        .execute(Tuple.of(target, now.atOffset(ZoneOffset.UTC)))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.<Cutoff>empty()
                    : Optional.of(cutoff(rows.iterator().next())));
  }

  Future<Void> save(String target, Cutoff cutoff, String grantId, Instant now) {
    return pool.preparedQuery(SAVE)
        .execute(
            Tuple.of(
                target,
                cutoff.issuedBefore().atOffset(ZoneOffset.UTC),
                cutoff.coversBefore().atOffset(ZoneOffset.UTC),
                cutoff.until().atOffset(ZoneOffset.UTC),
                grantId,
                now.atOffset(ZoneOffset.UTC)))
        .mapEmpty();
  }

  /** The target's person cutoffs still in force at {@code now}. */
  Future<List<PersonCutoff>> persons(String target, Instant now) {
    return pool.preparedQuery(PERSONS)
        .execute(Tuple.of(target, now.atOffset(ZoneOffset.UTC)))
        .map(
            rows -> {
              List<PersonCutoff> out = new ArrayList<>();
              rows.forEach(r -> out.add(new PersonCutoff(r.getString("person"), cutoff(r))));
              return out;
            });
  }

  Future<Void> savePerson(String target, PersonCutoff p, String grantId, Instant now) {
    return pool.preparedQuery(SAVE_PERSON)
        .execute(
            Tuple.tuple()
                .addString(target)
                .addString(p.person())
                .addOffsetDateTime(p.cutoff().issuedBefore().atOffset(ZoneOffset.UTC))
                .addOffsetDateTime(p.cutoff().coversBefore().atOffset(ZoneOffset.UTC))
                .addOffsetDateTime(p.cutoff().until().atOffset(ZoneOffset.UTC))
                .addString(grantId)
                .addOffsetDateTime(now.atOffset(ZoneOffset.UTC)))
        .mapEmpty();
  }

  /** The user cutoffs whose deny is written to {@code target}, still in force at {@code now}. */
  Future<List<UserCutoff>> users(String target, Instant now) {
    return pool.preparedQuery(USERS)
        .execute(Tuple.of(target, now.atOffset(ZoneOffset.UTC)))
        .map(
            rows -> {
              List<UserCutoff> out = new ArrayList<>();
              rows.forEach(
                  r ->
                      out.add(
                          new UserCutoff(
                              r.getString("role_arn"),
                              r.getString("user_name"),
                              ProgressStore.instant(r, "cutoff"),
                              ProgressStore.instant(r, "until"))));
              return out;
            });
  }

  Future<Void> saveUser(String target, UserCutoff u, String grantId, Instant now) {
    return pool.preparedQuery(SAVE_USER)
        .execute(
            Tuple.tuple()
                .addString(u.role())
                .addString(u.user())
                .addOffsetDateTime(u.issuedBefore().atOffset(ZoneOffset.UTC))
                .addOffsetDateTime(u.until().atOffset(ZoneOffset.UTC))
                .addString(grantId)
                .addOffsetDateTime(now.atOffset(ZoneOffset.UTC))
                .addString(target))
        .mapEmpty();
  }

  private static Cutoff cutoff(Row r) {
    return new Cutoff(
        ProgressStore.instant(r, "cutoff"),
        ProgressStore.instant(r, "until"),
        ProgressStore.instant(r, "covers_before"));
  }
}
