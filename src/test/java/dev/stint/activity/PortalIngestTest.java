package dev.stint.activity;

import static dev.stint.activity.PortalAccessTest.ACCOUNT;
import static dev.stint.activity.PortalAccessTest.ROLE;
import static dev.stint.activity.PortalAccessTest.ROLE_NAME;
import static dev.stint.activity.PortalAccessTest.USER;
import static dev.stint.testing.AuditTables.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.audit.GroupCommitAuditLog;
import dev.stint.config.DatabaseUrl;
import dev.stint.config.StintConfig.AuditConfig;
import dev.stint.db.Database;
import dev.stint.ledger.Ledger;
import dev.stint.mint.aws.CloudTrailRecords;
import dev.stint.standin.CloudTrailEvent;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Patience;
import dev.stint.testing.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A pushed CloudTrail event of an Identity Center grant's portal session, through the ingest with
 * the real migrations: kept on the grant's request under its portal access; the same call of a user
 * with no stint assignment, or of the user on another role, acknowledged, not kept, and counted as
 * a call of no stint credential.
 */
class PortalIngestTest {
  static final String TOKEN = "ingest-token-for-tests-0123456789abcdef";
  private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private DatabaseUrl url;
  private Vertx vertx;
  private ActivityIngest ingest;

  @BeforeEach
  void setUp() throws Exception {
    url = TestPostgres.migratedDatabase();
    vertx = Vertx.vertx();
    Database db = Database.connect(vertx, url, 4);
    GroupCommitAuditLog audit =
        new GroupCommitAuditLog(
            vertx, db.pool(), Clock.systemUTC(), new AuditConfig(Patience.AUDIT_COMMIT, 64));
    GrantActivity view =
        new GrantActivity(
            db.pool(),
            new Ledger(db.pool()),
            Visibility.Push.ON,
            grantId -> Future.succeededFuture(ROLE));
    ingest =
        new ActivityIngest(
            view,
            new ActivityIngest.Reading(TOKEN, CloudTrailRecords::delivered),
            new ActivityIngest.Watch(
                new RoleWatch(view, Set::of, audit, (r, c, d) -> {}, Clock.systemUTC()),
                new ActivityAnomalies(view, audit, (e, d) -> {}, Clock.systemUTC())),
            Clock.systemUTC());
    PortalAccessTest.grant(url, "req_p", now.minus(Duration.ofMinutes(10)), 60, true);
  }

  @AfterEach
  void tearDown() throws Exception {
    await(vertx.close());
  }

  private ActivityIngest.Outcome deliver(String role, String user) throws Exception {
    JsonObject record =
        CloudTrailEvent.builder("ec2.amazonaws.com", "DescribeInstances")
            .time(now)
            .region("eu-west-1")
            .accessKeyId("ASIAPORTALSESSION001")
            .assumedRole(role, user)
            .build()
            .record(ACCOUNT);
    byte[] body = new JsonObject().put("detail", record).encode().getBytes(StandardCharsets.UTF_8);
    return await(ingest.accept(Optional.of("Bearer " + TOKEN), body));
  }

  @Test
  void aPortalSessionsPushedCallIsTheGrantsAndNoOneElsesIsKept() throws Exception {
    assertThat(deliver(ROLE_NAME, USER)).isEqualTo(ActivityIngest.Outcome.KEPT);
    assertThat(
            AuditTables.strings(
                url, "SELECT credential_id || ' ' || request_id FROM activity_events"))
        .containsExactly("pta_grt_req_p req_p");

    assertThat(deliver(ROLE_NAME, "kim@example.com"))
        .as("a user with no stint assignment")
        .isEqualTo(ActivityIngest.Outcome.UNMATCHED);
    assertThat(deliver("AWSReservedSSO_Admin_fedcba9876543210", USER))
        .as("the user's session of another permission set")
        .isEqualTo(ActivityIngest.Outcome.UNMATCHED);
    assertThat(ingest.unmatchedCalls()).isEqualTo(2);
    assertThat(AuditTables.strings(url, "SELECT count(*)::text FROM activity_events"))
        .containsExactly("1");
  }
}
