package dev.stint.activity;

import static dev.stint.testing.AuditTables.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.audit.AuditEvent;
import dev.stint.audit.GroupCommitAuditLog;
import dev.stint.config.DatabaseUrl;
import dev.stint.config.StintConfig.AuditConfig;
import dev.stint.db.Database;
import dev.stint.ledger.Ledger;
import dev.stint.ledger.LedgerEntry;
import dev.stint.ledger.LedgerRows;
import dev.stint.mint.ActivityLookup;
import dev.stint.mint.Receipt;
import dev.stint.mint.aws.CloudTrailRecords;
import dev.stint.standin.CloudTrailEvent;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Patience;
import dev.stint.testing.TestPostgres;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Whoever holds the ingest token cannot put calls on someone else's grant (and so raise findings
 * that end it) by naming its key: a pushed call is kept only when it agrees with what the ledger
 * recorded of the credential whose key signed it (its time within the credential's life, its
 * account the role's, its source identity, when it carries one, the one stint set); anything else
 * is acknowledged, counted and recorded once. And an event id pushed first with other content
 * cannot hide the real call: the first copy stays, and the conflict is recorded once and raises the
 * alarm.
 */
class PushedCallBindingTest {
  static final String TOKEN = "ingest-token-for-tests-0123456789abcdef";
  static final String ACCOUNT = "111122223333";
  static final String ROLE = "arn:aws:iam::111122223333:role/prod";
  static final String KEY = "ASIASTINTCREDENTIAL1";
  static final String IDENTITY = "0123456789abcdef.grt_1";
  private final Instant issued = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private final Instant expires = issued.plus(Duration.ofMinutes(15));
  private final List<Map<String, Object>> alarms = new CopyOnWriteArrayList<>();
  private DatabaseUrl url;
  private Vertx vertx;
  private GrantActivity view;
  private ActivityIngest ingest;

  @BeforeEach
  void setUp() throws Exception {
    url = TestPostgres.migratedDatabase();
    vertx = Vertx.vertx();
    Database db = Database.connect(vertx, url, 4);
    GroupCommitAuditLog audit =
        new GroupCommitAuditLog(
            vertx, db.pool(), Clock.systemUTC(), new AuditConfig(Patience.AUDIT_COMMIT, 64));
    view = new GrantActivity(db.pool(), new Ledger(db.pool()), Visibility.Push.ON);
    RoleWatch roles =
        new RoleWatch(view, () -> Set.of(ROLE), audit, (r, c, d) -> {}, Clock.systemUTC());
    ActivityAnomalies anomalies =
        new ActivityAnomalies(
            view, audit, (event, details) -> alarms.add(details), Clock.systemUTC());
    ingest =
        new ActivityIngest(
            view,
            new ActivityIngest.Reading(TOKEN, CloudTrailRecords::delivered),
            new ActivityIngest.Watch(roles, anomalies),
            Clock.systemUTC());
    LedgerEntry entry =
        new LedgerEntry(
            "crd_1",
            LedgerEntry.Basis.grant("grt_1", "req_1", Optional.empty()),
            new LedgerEntry.Holder("https://idp.example", "alice"),
            "prod",
            Receipt.awsSession(ROLE, KEY, "alice", IDENTITY, expires));
    await(
        audit.append(
            AuditEvent.builder("credential.issued")
                .grantId("grt_1")
                .requestId("req_1")
                .detail("credential_id", "crd_1")
                .build(),
            LedgerRows.issued(entry)));
  }

  @AfterEach
  void tearDown() throws Exception {
    await(vertx.close());
  }

  /** A call of the credential's, as CloudTrail records it in its session: right in every way. */
  static CloudTrailEvent.Builder call(String name, Instant at) {
    return CloudTrailEvent.builder("iam.amazonaws.com", name)
        .time(at)
        .region("us-east-1")
        .accessKeyId(KEY)
        .assumedRole("prod", "alice")
        .sourceIdentity(IDENTITY);
  }

  ActivityIngest.Outcome deliver(JsonObject record) throws Exception {
    byte[] body = new JsonObject().put("detail", record).encode().getBytes(StandardCharsets.UTF_8);
    return await(ingest.accept(Optional.of("Bearer " + TOKEN), body));
  }

  List<String> kept() throws Exception {
    return AuditTables.strings(url, "SELECT name FROM activity_events ORDER BY name");
  }

  List<String> recorded(String type) throws Exception {
    return AuditTables.strings(
        url, "SELECT details::text FROM audit_events WHERE type = '" + type + "' ORDER BY seq");
  }

  @Test
  void aCallRightInEveryWayIsKept() throws Exception {
    deliver(call("ListUsers", issued.plusSeconds(60)).build().record(ACCOUNT));
    deliver(
        call("ListRoles", issued.minus(Duration.ofMinutes(4)))
            .build()
            .record(ACCOUNT)); // within the clock's allowance
    JsonObject noIdentity =
        CloudTrailEvent.builder("sts.amazonaws.com", "GetCallerIdentity")
            .time(issued.plusSeconds(5))
            .region("us-east-1")
            .accessKeyId(KEY)
            .build()
            .record(ACCOUNT);
    deliver(noIdentity);

    assertThat(kept()).containsExactly("GetCallerIdentity", "ListRoles", "ListUsers");
    assertThat(recorded("activity.push_mismatched")).isEmpty();
  }

  @Test
  void aCallOutsideTheCredentialsLifeIsNotKeptAndIsRecordedOnce() throws Exception {
    JsonObject before =
        call("CreateAccessKey", issued.minus(Duration.ofMinutes(6))).build().record(ACCOUNT);
    JsonObject after =
        call("CreateAccessKey", expires.plus(Duration.ofMinutes(6))).build().record(ACCOUNT);

    assertThat(deliver(before)).isEqualTo(ActivityIngest.Outcome.MISMATCHED);
    assertThat(deliver(before)).isEqualTo(ActivityIngest.Outcome.MISMATCHED);
    assertThat(deliver(after)).isEqualTo(ActivityIngest.Outcome.MISMATCHED);

    assertThat(kept()).isEmpty();
    assertThat(ingest.mismatchedCalls()).as("each delivery counted").isEqualTo(3);
    assertThat(recorded("activity.push_mismatched"))
        .hasSize(2)
        .allSatisfy(d -> assertThat(d).contains("\"time\"", "crd_1"));
  }

  @Test
  void aCallRecordedInAnotherAccountOrWithoutOneIsNotKept() throws Exception {
    deliver(call("CreateAccessKey", issued.plusSeconds(60)).build().record("999988887777"));
    JsonObject none = call("CreateUser", issued.plusSeconds(60)).build().record(ACCOUNT);
    none.remove("recipientAccountId");
    deliver(none);

    assertThat(kept()).isEmpty();
    assertThat(recorded("activity.push_mismatched"))
        .hasSize(2)
        .allSatisfy(d -> assertThat(d).contains("\"account\""));
  }

  @Test
  void aCallCarryingAnotherSourceIdentityIsNotKept() throws Exception {
    deliver(
        call("CreateAccessKey", issued.plusSeconds(60))
            .sourceIdentity("0123456789abcdef.grt_other")
            .build()
            .record(ACCOUNT));

    assertThat(kept()).isEmpty();
    assertThat(recorded("activity.push_mismatched"))
        .singleElement()
        .satisfies(d -> assertThat(d).contains("\"source_identity\"", "grt_other"));
  }

  @Test
  void anEventIdPushedFirstWithOtherContentKeepsTheFirstAndTheConflictIsRecordedOnce()
      throws Exception {
    JsonObject real =
        call("CreateAccessKey", issued.plusSeconds(60)).eventId("ev-1").build().record(ACCOUNT);
    JsonObject forged = real.copy().put("eventName", "GetCallerIdentity");

    deliver(forged);
    deliver(real);
    deliver(real);
    deliver(forged);

    assertThat(kept()).containsExactly("GetCallerIdentity");
    assertThat(recorded("activity.event_conflicted"))
        .singleElement()
        .satisfies(d -> assertThat(d).contains("ev-1", "CreateAccessKey", "GetCallerIdentity"));
    assertThat(alarms)
        .singleElement()
        .satisfies(
            d ->
                assertThat(d)
                    .containsEntry("event_id", "ev-1")
                    .containsEntry("differing", List.of("event_name")));
  }

  /** {@code record} as a lookup reads it. */
  static ActivityLookup.Call read(JsonObject record) {
    return CloudTrailRecords.delivered(
            new JsonObject().put("detail", record).encode().getBytes(StandardCharsets.UTF_8))
        .orElseThrow();
  }

  @Test
  void aLookupThatFindsAnEventIdKeptWithOtherContentIsToldOfItAndTheFirstCopyStays()
      throws Exception {
    JsonObject real =
        call("StopLogging", issued.plusSeconds(60)).eventId("ev-2").build().record(ACCOUNT);
    JsonObject forged = real.copy().put("errorCode", "AccessDenied");
    deliver(forged);

    List<KeptConflicts.Conflict> found =
        await(view.store().keep("crd_1", "req_1", List.of(read(real), read(forged))));

    assertThat(found)
        .singleElement()
        .satisfies(c -> assertThat(c.differing()).containsExactly("error_code"));
    assertThat(AuditTables.strings(url, "SELECT error_code FROM activity_events"))
        .containsExactly("AccessDenied");
  }

  @Test
  void anAzureOperationReadAgainAtItsOutcomeIsNoConflict() {
    ActivityLookup.Call started = azure("2026-03-02T10:00:00Z", Optional.empty());
    ActivityLookup.Call failed = azure("2026-03-02T10:00:07.5Z", Optional.of("Conflict"));
    KeptConflicts.Kept kept = KeptConflicts.Kept.of("crd_2", "req_2", started);

    assertThat(KeptConflicts.differing(kept, KeptConflicts.Kept.of("crd_2", "req_2", failed)))
        .isEmpty();
    assertThat(KeptConflicts.differing(kept, KeptConflicts.Kept.of("crd_3", "req_3", failed)))
        .containsExactly("credential_id");
  }

  static ActivityLookup.Call azure(String at, Optional<String> error) {
    return new ActivityLookup.Call(
        "3f0c7a52-9d5e-4e4f-9a56-1f1c0a6b7d21",
        Instant.parse(at),
        "Microsoft.Compute",
        "Microsoft.Compute/virtualMachines/write",
        "00000000-0000-0000-0000-000000000001",
        Optional.of("203.0.113.5"),
        error,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        false,
        ActivityLookup.Parameters.NONE);
  }
}
