package dev.stint.activity;

import static dev.stint.testing.AuditTables.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.audit.GroupCommitAuditLog;
import dev.stint.config.DatabaseUrl;
import dev.stint.config.StintConfig.AuditConfig;
import dev.stint.db.Database;
import dev.stint.ledger.Ledger;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Patience;
import dev.stint.testing.ShiftedClock;
import dev.stint.testing.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A grant approved and never used leaves its evidence in the audit chain: once it has ended, by
 * expiry or revocation, {@code grant.activity} is recorded for it with {@code unused}, once,
 * however many replicas run their rounds at the same moment. A grant whose only credentials the
 * cloud's logs cannot be asked about is recorded as such ({@code calls_unknown}), not as one that
 * made no call. Two rounds of two replicas (their own pools and audit writers) on one real
 * database; grants are written as the access package writes them, so the migrations' triggers see
 * them.
 */
class UnusedGrantActivityTest {
  static final ObjectMapper JSON = new ObjectMapper();
  private final ShiftedClock clock = new ShiftedClock();
  private final Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private DatabaseUrl url;
  private Vertx vertx;
  private List<ActivityRounds> replicas;

  @BeforeEach
  void setUp() throws Exception {
    url = TestPostgres.migratedDatabase();
    vertx = Vertx.vertx();
    replicas = List.of(replica(), replica());
  }

  @AfterEach
  void tearDown() throws Exception {
    await(vertx.close());
  }

  private ActivityRounds replica() {
    Pool pool = Database.connect(vertx, url, 4).pool();
    GroupCommitAuditLog audit =
        new GroupCommitAuditLog(vertx, pool, clock, new AuditConfig(Patience.AUDIT_COMMIT, 64));
    GrantActivity view = new GrantActivity(pool, new Ledger(pool), Visibility.Push.OFF);
    RoleWatch roles = new RoleWatch(view, Set::of, audit, (role, caller, details) -> {}, clock);
    return new ActivityRounds(
        vertx,
        view,
        Map.of(),
        new ActivityRounds.Settings(Duration.ofMinutes(5), Duration.ofMinutes(15)),
        new ActivityRounds.Needs(
            requestId -> end(pool, requestId),
            audit,
            roles,
            new ActivityAnomalies(view, audit, (e, d) -> {}, clock)),
        clock);
  }

  /** When the grant ends, as the access service answers it: its revocation when earlier. */
  private static Future<Optional<Instant>> end(Pool pool, String requestId) {
    return pool.preparedQuery(
            "SELECT LEAST(ends_at, COALESCE(revoked_at, ends_at)) AS ended FROM grants"
                + " WHERE request_id = $1")
        .execute(Tuple.of(requestId))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.of(rows.iterator().next().getOffsetDateTime("ended").toInstant()));
  }

  /** An approved request whose grant lasts {@code minutes} from the test's start. */
  private String approved(String id, int minutes) throws Exception {
    AuditTables.execute(
        TestPostgres.asSuperuser(url),
        "INSERT INTO access_requests (id, profile, requester_issuer, requester_subject,"
            + " requester_email, reason, duration_seconds, break_glass, approvals_required, state,"
            + " created_at, updated_at, version) VALUES ('"
            + id
            + "', 'prod', 'https://idp.example', 'alice', 'alice@example.com', 'INC-1', "
            + minutes * 60
            + ", false, 0, 'approved', "
            + at(start)
            + ", "
            + at(start)
            + ", 1); INSERT INTO grants (id, request_id, profile, principal_issuer,"
            + " principal_subject, starts_at, ends_at, break_glass, created_at) VALUES ('grt_"
            + id
            + "', '"
            + id
            + "', 'prod', 'https://idp.example', 'alice', "
            + at(start)
            + ", "
            + at(start.plus(Duration.ofMinutes(minutes)))
            + ", false, "
            + at(start)
            + ")");
    return id;
  }

  private static String at(Instant i) {
    return "timestamptz '" + OffsetDateTime.ofInstant(i, ZoneOffset.UTC) + "'";
  }

  /** Both replicas' rounds at once, {@code times} over. */
  private void rounds(int times) throws Exception {
    for (int i = 0; i < times; i++) {
      await(Future.all(replicas.get(0).round(), replicas.get(1).round()));
    }
  }

  private List<JsonNode> recorded(String requestId) throws Exception {
    return AuditTables.strings(
            url,
            "SELECT details::text FROM audit_events WHERE type = 'grant.activity'"
                + " AND request_id = '"
                + requestId
                + "'")
        .stream()
        .map(
            d -> {
              try {
                return JSON.readTree(d);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            })
        .toList();
  }

  @Test
  void anExpiredGrantThatMintedNothingIsRecordedUnusedOnceAcrossReplicas() throws Exception {
    String id = approved("req_unused_expired", 30);
    rounds(2);
    assertThat(recorded(id)).as("not before the grant has ended").isEmpty();
    clock.advance(Duration.ofMinutes(31));
    rounds(3);
    clock.advance(ActivityRounds.LEASE.plusMinutes(1));
    rounds(2);
    List<JsonNode> events = recorded(id);
    assertThat(events).hasSize(1);
    JsonNode d = events.get(0);
    assertThat(d.path("unused").asBoolean()).isTrue();
    assertThat(d.path("calls").asLong()).isZero();
    assertThat(d.path("errors").asLong()).isZero();
    assertThat(d.path("issued").asLong()).isZero();
    assertThat(d.path("looked_up").asLong()).isZero();
    assertThat(d.path("calls_unknown").asBoolean()).isFalse();
    assertThat(d.has("first_at")).isFalse();
    assertThat(
            AuditTables.strings(
                url,
                "SELECT reason FROM audit_events WHERE request_id = '"
                    + id
                    + "' AND type = 'grant.activity'"))
        .containsExactly("the grant handed out no credential");
    assertThat(AuditTables.count(url, "type = 'grant.activity'")).isEqualTo(1);
  }

  @Test
  void aRevokedGrantIsRecordedAtItsRevocationNotItsPlannedEnd() throws Exception {
    String id = approved("req_unused_revoked", 120);
    clock.advance(Duration.ofMinutes(10));
    AuditTables.execute(
        TestPostgres.asSuperuser(url),
        "UPDATE grants SET revoked_at = "
            + at(clock.instant())
            + ", revoked_by = 'bob' WHERE request_id = '"
            + id
            + "'");
    clock.advance(Duration.ofSeconds(1));
    rounds(2);
    assertThat(recorded(id)).hasSize(1);
    assertThat(recorded(id).get(0).path("unused").asBoolean()).isTrue();
    clock.advance(Duration.ofHours(3));
    rounds(2);
    assertThat(recorded(id)).hasSize(1);
  }

  @Test
  void aGrantWhoseOnlyCredentialCannotBeLookedUpSaysItsCallsAreUnknown() throws Exception {
    String id = approved("req_gcp_only", 30);
    AuditTables.execute(
        TestPostgres.asSuperuser(url),
        "INSERT INTO credentials (id, event_id, grant_id, request_id, holder_issuer,"
            + " holder_subject, profile, cloud, target, fingerprint, revocable, issued_at,"
            + " expires_at) VALUES ('crd_gcp_1', gen_random_uuid(), 'grt_"
            + id
            + "', '"
            + id
            + "', 'https://idp.example', 'alice', 'prod', 'gcp', 'sa@p.iam', 'sha256:ab',"
            + " false, "
            + at(start)
            + ", "
            + at(start.plus(Duration.ofMinutes(30)))
            + ")");
    clock.advance(Duration.ofMinutes(31));
    rounds(2);
    List<JsonNode> events = recorded(id);
    assertThat(events).hasSize(1);
    assertThat(events.get(0).path("issued").asLong()).isEqualTo(1);
    assertThat(events.get(0).path("looked_up").asLong()).isZero();
    assertThat(events.get(0).path("calls_unknown").asBoolean()).isTrue();
    assertThat(
            AuditTables.strings(
                url,
                "SELECT reason FROM audit_events WHERE type = 'grant.activity'"
                    + " AND request_id = '"
                    + id
                    + "'"))
        .singleElement()
        .asString()
        .startsWith("no call seen, but not every call is visible: ")
        .contains("the calls of 1 credential are not visible")
        .doesNotContain("not used");
  }

  /**
   * The report reads the grant's usage row, kept by the triggers as credentials, lookups and calls
   * arrive: listed with its counts while its lookup is due, settled once it had its last, and gone
   * once a call is kept for it, even one pushed after it was summed up.
   */
  @Test
  void theReportFollowsTheGrantsCredentialsLookupsAndCalls() throws Exception {
    String id = approved("req_reported", 30);
    AuditTables.execute(
        TestPostgres.asSuperuser(url),
        "INSERT INTO credentials (id, event_id, grant_id, request_id, holder_issuer,"
            + " holder_subject, profile, cloud, target, access_key_id, revocable, issued_at,"
            + " expires_at) VALUES ('crd_aws_1', gen_random_uuid(), 'grt_"
            + id
            + "', '"
            + id
            + "', 'https://idp.example', 'alice', 'prod', 'aws', 'arn:aws:iam::1:role/p',"
            + " 'ASIAREPORTED00000001', true, "
            + at(start)
            + ", "
            + at(start.plus(Duration.ofMinutes(30)))
            + ")");
    clock.advance(Duration.ofMinutes(31));
    UnusedGrants report =
        new UnusedGrants(Database.connect(vertx, url, 1).pool(), Visibility.Push.OFF);
    UnusedGrants.Grant listed = only(report, id);
    assertThat(listed.credentials()).isEqualTo(1);
    assertThat(listed.lookedUp()).isEqualTo(1);
    assertThat(listed.settled()).isFalse();
    assertThat(listed.endedAt()).isEqualTo(start.plus(Duration.ofMinutes(30)));
    AuditTables.execute(
        TestPostgres.asSuperuser(url),
        "UPDATE activity_lookups SET settled_at = now() WHERE credential_id = 'crd_aws_1'");
    assertThat(only(report, id).settled()).isTrue();
    AuditTables.execute(
        TestPostgres.asSuperuser(url),
        "INSERT INTO activity_events (event_id, credential_id, request_id, at, source, name,"
            + " region) VALUES ('late-1', 'crd_aws_1', '"
            + id
            + "', now(), 's3.amazonaws.com', 'GetObject', 'eu-west-1')");
    assertThat(await(report.since(start, clock.instant())).grants()).isEmpty();
  }

  private UnusedGrants.Grant only(UnusedGrants report, String id) throws Exception {
    List<UnusedGrants.Grant> grants = await(report.since(start, clock.instant())).grants();
    assertThat(grants).extracting(UnusedGrants.Grant::requestId).containsExactly(id);
    return grants.get(0);
  }
}
