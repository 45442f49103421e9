package dev.stint.activity;

import static dev.stint.testing.AuditTables.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.config.DatabaseUrl;
import dev.stint.db.Database;
import dev.stint.mint.ActivityLookup;
import dev.stint.testing.AuditTables;
import dev.stint.testing.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which Identity Center grant a portal session's call is, on a real database with the real
 * migrations: the grant's row comes from its assignment's being marked created (V59's trigger), and
 * a call is the grant's only when it is its user's session on its permission set's provisioned role
 * in its account, within its window. The near misses are each no grant's: the same user on another
 * role or in another account, another user, an IAM user of the same name, a call before the
 * assignment or after the grant's end or revocation, and an assignment stint did not make. Two
 * overlapping grants file a call under the one whose assignment was made latest before it.
 */
class PortalAccessTest {
  static final String ACCOUNT = "111122223333";
  static final String OTHER_ACCOUNT = "444455556666";
  static final String INSTANCE = "arn:aws:sso:::instance/ssoins-1111222233334444";
  static final String READ_ONLY =
      "arn:aws:sso:::permissionSet/ssoins-1111222233334444/ps-aaaabbbbccccdddd";
  static final String ROLE_NAME = "AWSReservedSSO_ReadOnly_0123456789abcdef";
  static final String ROLE =
      "arn:aws:iam::" + ACCOUNT + ":role/aws-reserved/sso.amazonaws.com/" + ROLE_NAME;
  static final String USER = "pat@example.com";

  private final Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private final AtomicInteger found = new AtomicInteger();
  private DatabaseUrl url;
  private Vertx vertx;
  private Pool pool;
  private PortalAccess portals;

  @BeforeEach
  void setUp() {
    url = TestPostgres.migratedDatabase();
    vertx = Vertx.vertx();
    pool = Database.connect(vertx, url, 2).pool();
    portals =
        new PortalAccess(
            pool,
            grantId -> {
              found.incrementAndGet();
              return Future.succeededFuture(ROLE);
            });
  }

  @AfterEach
  void tearDown() throws Exception {
    await(vertx.close());
  }

  private void grant(String id, Instant from, int minutes, boolean stints) throws Exception {
    grant(url, id, from, minutes, stints);
  }

  /**
   * Pat's grant {@code grt_<id>} of {@code minutes} from {@code from}, written as the access and
   * assignment packages write it, its assignment marked created then ({@code stints}: by stint).
   */
  static void grant(DatabaseUrl url, String id, Instant from, int minutes, boolean stints)
      throws Exception {
    AuditTables.execute(
        TestPostgres.asSuperuser(url),
        "INSERT INTO access_requests (id, profile, requester_issuer, requester_subject,"
            + " requester_email, reason, duration_seconds, break_glass, approvals_required, state,"
            + " created_at, updated_at, version) VALUES ('"
            + id
            + "', 'prod-readonly', 'https://idp.example', 'pat', 'pat@example.com', 'INC-1', "
            + minutes * 60
            + ", false, 0, 'approved', "
            + at(from)
            + ", "
            + at(from)
            + ", 1); INSERT INTO grants (id, request_id, profile, principal_issuer,"
            + " principal_subject, starts_at, ends_at, break_glass, created_at) VALUES ('grt_"
            + id
            + "', '"
            + id
            + "', 'prod-readonly', 'https://idp.example', 'pat', "
            + at(from)
            + ", "
            + at(from.plus(Duration.ofMinutes(minutes)))
            + ", false, "
            + at(from)
            + "); INSERT INTO identity_center_assignments (grant_id, request_id, instance_arn,"
            + " identity_store_id, account_id, permission_set_arn, user_name, user_id, state,"
            + " stint_created, updated_at, region, holder_issuer, holder_subject) VALUES ('grt_"
            + id
            + "', '"
            + id
            + "', '"
            + INSTANCE
            + "', 'd-0123456789', '"
            + ACCOUNT
            + "', '"
            + READ_ONLY
            + "', '"
            + USER
            + "', 'u-1', 'creating', "
            + stints
            + ", "
            + at(from)
            + ", 'us-east-1', 'https://idp.example', 'pat'"
            + "); UPDATE identity_center_assignments SET state = 'created' WHERE grant_id = 'grt_"
            + id
            + "'");
  }

  private static String at(Instant i) {
    return "timestamptz '" + OffsetDateTime.ofInstant(i, ZoneOffset.UTC) + "'";
  }

  private static ActivityLookup.Call call(String callerArn, String account, Instant time) {
    return new ActivityLookup.Call(
        "evt-" + time.toEpochMilli() + "-" + callerArn.hashCode(),
        time,
        "ec2.amazonaws.com",
        "DescribeInstances",
        "eu-west-1",
        Optional.empty(),
        Optional.empty(),
        Optional.of("ASIAPORTALSESSION001"),
        Optional.empty(),
        Optional.empty(),
        Optional.of(callerArn),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.of(account),
        false,
        ActivityLookup.Parameters.NONE);
  }

  private static String session(String account, String role, String name) {
    return "arn:aws:sts::" + account + ":assumed-role/" + role + "/" + name;
  }

  private Optional<String> owner(ActivityLookup.Call c) throws Exception {
    return await(portals.owner(c)).map(PortalAccess.Portal::grantId);
  }

  @Test
  void theUsersSessionOnTheProvisionedRoleWithinTheWindowIsTheGrants() throws Exception {
    grant("req_a", start, 60, true);
    Instant during = start.plus(Duration.ofMinutes(10));
    assertThat(owner(call(session(ACCOUNT, ROLE_NAME, USER), ACCOUNT, during)))
        .contains("grt_req_a");
    assertThat(owner(call(session(ACCOUNT, ROLE_NAME, USER), ACCOUNT, during.plusSeconds(60))))
        .as("the role found once and kept")
        .contains("grt_req_a");
    assertThat(found).hasValue(1);
    assertThat(
            AuditTables.strings(
                url,
                "SELECT access_key_id || ' ' || account FROM activity_lookups"
                    + " WHERE credential_id = 'pta_grt_req_a'"))
        .as("looked up by the user's name in the grant's account")
        .containsExactly(USER + " " + ACCOUNT);
    assertThat(
            AuditTables.strings(
                url,
                "SELECT sum(credentials)::text FROM grant_usage_tally WHERE request_id = 'req_a'"))
        .as("counted in the grant's usage as one thing handed out")
        .containsExactly("1");
  }

  @Test
  void aReviewSeesWhenThePersonLastHadPortalAccess() throws Exception {
    grant("req_g", start, 60, true);
    grant("req_h", start.plus(Duration.ofMinutes(90)), 60, true);
    grant("req_i", start.plus(Duration.ofMinutes(200)), 60, false);
    assertThat(await(new ProfileUsage(pool, Visibility.Push.OFF).lastPortalAccess("prod-readonly")))
        .as("the latest grant whose assignment stint made; not one it did not make")
        .containsExactly(
            Map.entry(
                new ProfileUsage.Requester("https://idp.example", "pat"),
                start.plus(Duration.ofMinutes(90))));
  }

  /**
   * A session of a role Identity Center did not provision is nobody's portal access, whatever its
   * session is named: no grant's row is read for it, and no role is looked up.
   */
  @Test
  void aSessionOfAnyOtherRoleIsNoPortalAccessAndCostsNoLookup() throws Exception {
    grant("req_o", start, 60, true);
    Instant during = start.plus(Duration.ofMinutes(10));

    assertThat(owner(call(session(ACCOUNT, "deploy", USER), ACCOUNT, during))).isEmpty();
    assertThat(PortalCaller.of(call(session(ACCOUNT, "deploy", USER), ACCOUNT, during))).isEmpty();
    assertThat(found).hasValue(0);
  }

  @Test
  void theNearMissesAreNoGrantsCalls() throws Exception {
    grant("req_b", start, 60, true);
    Instant during = start.plus(Duration.ofMinutes(10));
    assertThat(
            owner(
                call(
                    session(ACCOUNT, "AWSReservedSSO_Admin_fedcba9876543210", USER),
                    ACCOUNT,
                    during)))
        .as("the same user on another permission set's role")
        .isEmpty();
    assertThat(owner(call(session(OTHER_ACCOUNT, ROLE_NAME, USER), OTHER_ACCOUNT, during)))
        .as("the same user and role name in another account")
        .isEmpty();
    assertThat(owner(call(session(ACCOUNT, ROLE_NAME, USER), OTHER_ACCOUNT, during)))
        .as("a record another account holds")
        .isEmpty();
    assertThat(owner(call(session(ACCOUNT, ROLE_NAME, "kim@example.com"), ACCOUNT, during)))
        .as("another user")
        .isEmpty();
    assertThat(owner(call(session(ACCOUNT, ROLE_NAME, "PAT@example.com"), ACCOUNT, during)))
        .as("the user's name in another case, as aws:userid never matches it")
        .isEmpty();
    assertThat(owner(call("arn:aws:iam::" + ACCOUNT + ":user/" + USER, ACCOUNT, during)))
        .as("an IAM user of the same name")
        .isEmpty();
    assertThat(
            owner(
                call(
                    session(ACCOUNT, ROLE_NAME, USER),
                    ACCOUNT,
                    start.minus(Duration.ofMinutes(6)))))
        .as("before the assignment was made")
        .isEmpty();
    assertThat(
            owner(
                call(
                    session(ACCOUNT, ROLE_NAME, USER),
                    ACCOUNT,
                    start.plus(Duration.ofMinutes(66)))))
        .as("after the grant's end")
        .isEmpty();
  }

  @Test
  void aRevokedGrantsWindowEndsAtItsRevocation() throws Exception {
    grant("req_c", start, 120, true);
    AuditTables.execute(
        TestPostgres.asSuperuser(url),
        "UPDATE grants SET revoked_at = "
            + at(start.plus(Duration.ofMinutes(20)))
            + ", revoked_by = 'sam' WHERE request_id = 'req_c'");
    String arn = session(ACCOUNT, ROLE_NAME, USER);
    assertThat(owner(call(arn, ACCOUNT, start.plus(Duration.ofMinutes(15))))).contains("grt_req_c");
    assertThat(owner(call(arn, ACCOUNT, start.plus(Duration.ofMinutes(30))))).isEmpty();
  }

  @Test
  void anAssignmentStintDidNotMakeIsNoGrantsAccess() throws Exception {
    grant("req_d", start, 60, false);
    assertThat(
            owner(
                call(
                    session(ACCOUNT, ROLE_NAME, USER), ACCOUNT, start.plus(Duration.ofMinutes(5)))))
        .isEmpty();
    assertThat(AuditTables.strings(url, "SELECT count(*)::text FROM activity_portal_access"))
        .containsExactly("0");
  }

  @Test
  void overlappingGrantsFileACallUnderTheOneAssignedLatestBeforeIt() throws Exception {
    grant("req_e", start, 60, true);
    grant("req_f", start.plus(Duration.ofMinutes(30)), 60, true);
    String arn = session(ACCOUNT, ROLE_NAME, USER);
    assertThat(owner(call(arn, ACCOUNT, start.plus(Duration.ofMinutes(10))))).contains("grt_req_e");
    assertThat(owner(call(arn, ACCOUNT, start.plus(Duration.ofMinutes(45))))).contains("grt_req_f");
    assertThat(owner(call(arn, ACCOUNT, start.plus(Duration.ofMinutes(80))))).contains("grt_req_f");
    Map<PortalAccess.Portal, List<ActivityLookup.Call>> sorted =
        await(
            portals.owners(
                await(
                    portals.withRole(
                        await(portals.some(List.of("pta_grt_req_e"))).get("pta_grt_req_e"))),
                List.of(
                    call(arn, ACCOUNT, start.plus(Duration.ofMinutes(10))),
                    call(arn, ACCOUNT, start.plus(Duration.ofMinutes(45))),
                    call(session(ACCOUNT, ROLE_NAME, "kim@example.com"), ACCOUNT, start))));
    assertThat(sorted.keySet())
        .extracting(PortalAccess.Portal::grantId)
        .containsExactlyInAnyOrder("grt_req_e", "grt_req_f");
    assertThat(portals.ignored()).isEqualTo(1);
  }
}
