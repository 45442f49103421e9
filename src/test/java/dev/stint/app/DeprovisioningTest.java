package dev.stint.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.access.AccessRequest;
import dev.stint.access.AccessRequest.RequestState;
import dev.stint.access.AccessUseCases;
import dev.stint.access.Action;
import dev.stint.access.Caller;
import dev.stint.access.NewRequest;
import dev.stint.access.RequestListener;
import dev.stint.audit.GroupCommitAuditLog;
import dev.stint.config.DatabaseUrl;
import dev.stint.config.StintConfig;
import dev.stint.db.Database;
import dev.stint.directory.Deprovisioning;
import dev.stint.directory.Deprovisions;
import dev.stint.directory.Scim;
import dev.stint.directory.ScimCaller;
import dev.stint.extension.ExtensionService;
import dev.stint.identity.Directory;
import dev.stint.identity.Principal;
import dev.stint.outbox.DurableListener;
import dev.stint.outbox.Outbox;
import dev.stint.policy.PolicyInForce;
import dev.stint.policy.PolicyLoader;
import dev.stint.testing.AuditTables;
import dev.stint.testing.MutableClock;
import dev.stint.testing.Patience;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leaving ends access: a directory user matched to a person, deactivated or deleted over SCIM,
 * revokes the person's live grants and withdraws their pending requests, as stint, through the
 * access use cases wired as the server wires them ({@link DirectoryWiring#deprovisioning}), on a
 * real database; the revokes' side effects are in the outbox, and {@code person.deprovisioned} is
 * recorded once.
 */
class DeprovisioningTest {
  static final Instant T0 = Instant.parse("2026-11-27T09:00:00Z");
  static final ScimCaller OKTA = new ScimCaller("192.0.2.7", "Okta SCIM Client 1.0.0");
  static final String TOKEN = "scim-test-token-0123456789abcdef0123456789";

  static final Vertx VERTX = Vertx.vertx();
  static final MutableClock CLOCK = new MutableClock(T0);
  static TestIdp idp;
  static DatabaseUrl url;
  static Database db;
  static GroupCommitAuditLog audit;
  static AccessUseCases access;
  static ExtensionService extensions;
  static Scim scim;

  @BeforeAll
  static void start(@TempDir Path policyDir) throws Exception {
    idp = new TestIdp("corp");
    Files.writeString(
        policyDir.resolve("p.yaml"),
        "issuers:\n"
            + idp.issuerYaml("corp")
            + "profiles:\n"
            + "  prod:\n"
            + "    aws: {role_arn: \"arn:aws:iam::111122223333:role/prod\", mode: assume_role}\n"
            + "    max_duration: 1h\n"
            + "    requesters: 'true'\n"
            + "    approval: {count: 1, approvers: 'principal.groups.exists(g, g == \"sre\")'}\n");
    url = TestPostgres.migratedDatabase();
    db = Database.connect(VERTX, url, 4);
    Database auditDb = Database.connect(VERTX, url, 2);
    audit =
        new GroupCommitAuditLog(
            VERTX, auditDb.pool(), CLOCK, new StintConfig.AuditConfig(Patience.AUDIT_COMMIT, 64));
    Outbox<RequestListener.Change> outbox = new Outbox<>(db.pool());
    // Stands for the cloud's revocation: it wants every revoke, as AWS's does.
    outbox.register(new Revocations());
    PolicyInForce policies = new PolicyInForce(new PolicyLoader().load(policyDir));
    access =
        new AccessUseCases(
            new AccessUseCases.Footing(db.pool(), db.pipelined(), outbox), policies, audit, CLOCK);
    extensions = new ExtensionService(db.pool(), outbox, policies, audit, CLOCK);
    scim =
        new Scim(
            db.pool(),
            audit,
            new Scim.Settings(
                TOKEN, URI.create("https://stint.example.com"), () -> Optional.of(idp.issuer())),
            DirectoryWiring.deprovisioning(access.leavers(), extensions.leavers()),
            Directory.NONE,
            CLOCK);
  }

  @AfterAll
  static void stop() throws Exception {
    db.close();
    VERTX.close().await(Patience.seconds(10), TimeUnit.MILLISECONDS);
    idp.close();
  }

  /** A durable listener that wants revokes; delivery is not this test's (OutboxTest's). */
  static final class Revocations implements DurableListener<RequestListener.Change> {
    @Override
    public String name() {
      return "test-revocation";
    }

    @Override
    public boolean wants(RequestListener.Change change) {
      return change.event().equals("grant.revoked");
    }

    @Override
    public Future<Void> deliver(RequestListener.Change change, Delivery delivery) {
      return Future.succeededFuture();
    }
  }

  static Caller caller(String user, String... groups) {
    Principal p =
        new Principal(
            "corp",
            idp.issuer(),
            user,
            Optional.of(user + "@example.com"),
            List.of(groups),
            Map.of("email", user + "@example.com", "email_verified", true),
            T0.plus(Duration.ofDays(9)),
            Optional.empty());
    return new Caller(p, Optional.of("127.0.0.1"), Optional.of("test"));
  }

  static AccessRequest request(String user) throws Exception {
    return AuditTables.await(
        access
            .requests()
            .create(
                caller(user, "eng"),
                new NewRequest(
                    "prod",
                    Duration.ofMinutes(30),
                    "INC-41",
                    Optional.empty(),
                    Optional.empty(),
                    false)));
  }

  static AccessRequest granted(String user) throws Exception {
    AccessRequest r = request(user);
    return AuditTables.await(
        access.decisions().decide(caller("sam", "sre"), r.id(), Action.APPROVE, Optional.of("ok")));
  }

  static AccessRequest now(AccessRequest r) throws Exception {
    return AuditTables.await(access.requests().get(caller("sam", "sre"), r.id()));
  }

  /** {@code user} as the directory's user, matched by its {@code externalId} (the sub). */
  static String directoryUser(String user) throws Exception {
    AuditTables.execute(
        url,
        "INSERT INTO people_seen (issuer, subject, principal, email, seen_at, match_claim,"
            + " match_id) VALUES ('"
            + idp.issuer()
            + "', '"
            + user
            + "', '{}', '"
            + user
            + "@example.com', now(), 'sub', '"
            + user
            + "')");
    JsonObject body =
        new JsonObject().put("userName", user + "@example.com").put("externalId", user);
    return AuditTables.await(scim.users().create(body, OKTA)).body().orElseThrow().getString("id");
  }

  /** Entra's deactivation: a capitalised op and {@code active} as the string "False". */
  static JsonObject entraDeactivates() {
    return new JsonObject()
        .put("schemas", new JsonArray().add("urn:ietf:params:scim:api:messages:2.0:PatchOp"))
        .put(
            "Operations",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("op", "Replace")
                        .put("path", "active")
                        .put("value", "False")));
  }

  /** The events of {@code type} on the requests named, by actor, request and details. */
  static List<String> events(String type, AccessRequest... on) throws Exception {
    String ids = String.join("', '", Arrays.stream(on).map(AccessRequest::id).toList());
    return AuditTables.strings(
        url,
        "SELECT actor_subject || ' ' || request_id || ' ' || details::text"
            + " FROM audit_events WHERE type = '"
            + type
            + "' AND request_id IN ('"
            + ids
            + "') ORDER BY seq");
  }

  @Test
  void aDeactivatedPersonLosesTheirGrantAndPendingRequestOnceAndNoOneElseDoes() throws Exception {
    AccessRequest live = granted("olga");
    AccessRequest pending = request("olga");
    AccessRequest others = granted("pete");
    String olga = directoryUser("olga");
    directoryUser("pete");

    AuditTables.await(scim.users().patch(olga, entraDeactivates(), Optional.empty(), OKTA));

    AccessRequest revoked = now(live);
    assertThat(revoked.state()).isEqualTo(RequestState.REVOKED);
    assertThat(revoked.grant().orElseThrow().revocation().orElseThrow().by().subject())
        .isEqualTo("system");
    assertThat(now(pending).state()).isEqualTo(RequestState.CANCELLED);
    assertThat(now(others).state()).isEqualTo(RequestState.APPROVED);

    List<String> revokes = events("grant.revoked", live, pending, others);
    assertThat(revokes).hasSize(1);
    assertThat(revokes.get(0))
        .startsWith("system " + live.id())
        .contains("\"by\": \"directory\"")
        .contains("\"directory_user_id\": \"" + olga + "\"");
    assertThat(events("request.cancelled", live, pending, others))
        .singleElement()
        .satisfies(e -> assertThat(e).startsWith("system " + pending.id()).contains("directory"));
    assertThat(deprovisioned("olga")).containsExactly("1 1");
    assertThat(
            AuditTables.strings(
                url,
                "SELECT actor_subject || ' ' || (details->>'directory_user_id')"
                    + " FROM audit_events WHERE type = 'person.deprovisioned'"
                    + " AND details->>'subject' = 'olga'"))
        .containsExactly("system " + olga);
    // The cloud's revocation follows from the outbox, written in the revoke's transaction.
    assertThat(
            AuditTables.strings(
                url,
                "SELECT request_id FROM outbox WHERE listener = 'test-revocation'"
                    + " AND request_id IN ('"
                    + live.id()
                    + "', '"
                    + pending.id()
                    + "', '"
                    + others.id()
                    + "')"))
        .containsExactly(live.id());

    // Delivered again (another replica's timer, a retry): nothing more happens.
    assertThat(AuditTables.await(scim.deprovisions().run())).isZero();
    assertThat(deprovisioned("olga")).hasSize(1);
    assertThat(events("grant.revoked", live, pending, others)).hasSize(1);
  }

  @Test
  void aDeletedUserDeprovisionsTheirPerson() throws Exception {
    AccessRequest live = granted("dora");
    String dora = directoryUser("dora");

    AuditTables.await(scim.users().delete(dora, Optional.empty(), OKTA));

    assertThat(now(live).state()).isEqualTo(RequestState.REVOKED);
    assertThat(deprovisioned("dora")).containsExactly("1 0");
    assertThat(
            AuditTables.strings(
                url,
                "SELECT details->>'deprovisioning' FROM audit_events"
                    + " WHERE type = 'directory.user.deleted' AND details->>'user_id' = '"
                    + dora
                    + "'"))
        .containsExactly("marked");
  }

  @Test
  void aUserWrittenBeforeItsPersonWasSeenIsMatchedWhenDeletedAndDeprovisionsThem()
      throws Exception {
    JsonObject body =
        new JsonObject().put("userName", "oona@example.com").put("externalId", "oona");
    String oona =
        AuditTables.await(scim.users().create(body, OKTA)).body().orElseThrow().getString("id");
    AuditTables.execute(
        url,
        "INSERT INTO people_seen (issuer, subject, principal, email, seen_at, match_claim,"
            + " match_id) VALUES ('"
            + idp.issuer()
            + "', 'oona', '{}', 'oona@example.com', now(), 'sub', 'oona')");
    AccessRequest live = granted("oona");

    AuditTables.await(scim.users().delete(oona, Optional.empty(), OKTA));

    assertThat(now(live).state()).isEqualTo(RequestState.REVOKED);
    assertThat(deprovisioned("oona")).containsExactly("1 0");
  }

  @Test
  void aNewUserWithALeaversOldAddressNeitherLiftsTheirMarkNorBecomesThem() throws Exception {
    String leaver = directoryUser("lex");
    AuditTables.await(scim.users().patch(leaver, entraDeactivates(), Optional.empty(), OKTA));
    assertThat(marksInForce("lex")).isEqualTo(1);

    JsonObject hire =
        new JsonObject().put("userName", "lex@example.com.new").put("externalId", "new-hire-id");
    hire.put("emails", new JsonArray().add(new JsonObject().put("value", "lex@example.com")));
    AuditTables.await(
        scim.users().patch(leaver, rename("lex-gone@example.com"), Optional.empty(), OKTA));
    String newHire =
        AuditTables.await(scim.users().create(hire, OKTA)).body().orElseThrow().getString("id");

    assertThat(marksInForce("lex")).as("the leaver stays refused").isEqualTo(1);
    assertThat(
            AuditTables.strings(
                url,
                "SELECT coalesce(subject, '') FROM directory_users WHERE id = '" + newHire + "'"))
        .as("an email is not enough to become a person the directory deprovisioned")
        .containsExactly("");
  }

  @Test
  void aProfileUpdateThatLeavesActiveOutDoesNotReactivateALeaver() throws Exception {
    String uma = directoryUser("ulla");
    AuditTables.await(scim.users().patch(uma, entraDeactivates(), Optional.empty(), OKTA));
    JsonObject profileOnly =
        new JsonObject()
            .put("userName", "ulla@example.com")
            .put("externalId", "ulla")
            .put("displayName", "Ulla, now in finance");
    AuditTables.await(scim.users().replace(uma, profileOnly, Optional.empty(), OKTA));
    JsonObject removeActive =
        new JsonObject()
            .put("schemas", new JsonArray().add("urn:ietf:params:scim:api:messages:2.0:PatchOp"))
            .put(
                "Operations",
                new JsonArray().add(new JsonObject().put("op", "remove").put("path", "active")));
    AuditTables.await(scim.users().patch(uma, removeActive, Optional.empty(), OKTA));

    assertThat(marksInForce("ulla")).as("still deprovisioned").isEqualTo(1);
    assertThat(
            AuditTables.strings(
                url, "SELECT active::text FROM directory_users WHERE id = '" + uma + "'"))
        .containsExactly("false");
  }

  /** An Okta rename: the user's userName changes, nothing else. */
  static JsonObject rename(String userName) {
    return new JsonObject()
        .put("schemas", new JsonArray().add("urn:ietf:params:scim:api:messages:2.0:PatchOp"))
        .put(
            "Operations",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("op", "replace")
                        .put("value", new JsonObject().put("userName", userName))));
  }

  @Test
  void aSecondPassEndsWhatAReplicaThatHadNotHeardLetThroughAndSaysSo() throws Exception {
    String tess = directoryUser("tess");
    AuditTables.await(scim.users().patch(tess, entraDeactivates(), Optional.empty(), OKTA));
    // Granted on a replica that had not yet heard of the mark: after the first pass.
    AccessRequest slipped = granted("tess");
    assertThat(AuditTables.await(scim.deprovisions().run()))
        .as("the second pass is not due yet")
        .isZero();
    assertThat(now(slipped).state()).isEqualTo(RequestState.APPROVED);

    CLOCK.advance(Deprovisions.RECHECK_AFTER.plusSeconds(1));
    AuditTables.await(scim.deprovisions().run());

    assertThat(now(slipped).state()).isEqualTo(RequestState.REVOKED);
    assertThat(
            AuditTables.strings(
                url,
                "SELECT coalesce(details->>'second_pass', 'first') || ' '"
                    + " || (details->>'grants_revoked') FROM audit_events"
                    + " WHERE type = 'person.deprovisioned' AND details->>'subject' = 'tess'"
                    + " ORDER BY seq"))
        .containsExactly("first 0", "true 1");
    assertThat(deprovisioned("tess")).containsExactly("0 0", "1 0");
    CLOCK.advance(Deprovisions.RECHECK_AFTER.plusSeconds(1));
    AuditTables.await(scim.deprovisions().run());
    assertThat(
            AuditTables.count(
                url, "type = 'person.deprovisioned' AND details->>'subject' = 'tess'"))
        .as("two passes, no more")
        .isEqualTo(2);
  }

  @Test
  void aUserMatchedToNobodyDeprovisionsNobody() throws Exception {
    AccessRequest live = granted("nina");
    // Not among the people seen: the user is nobody stint knows, though the name is alike.
    JsonObject body =
        new JsonObject().put("userName", "nina@example.com").put("externalId", "nina-okta-id");
    String id =
        AuditTables.await(scim.users().create(body, OKTA)).body().orElseThrow().getString("id");

    AuditTables.await(scim.users().patch(id, entraDeactivates(), Optional.empty(), OKTA));
    AuditTables.await(scim.users().delete(id, Optional.empty(), OKTA));

    assertThat(now(live).state()).isEqualTo(RequestState.APPROVED);
    assertThat(
            AuditTables.strings(
                url, "SELECT count(*) FROM directory_deprovisioned WHERE user_id = '" + id + "'"))
        .containsExactly("0");
  }

  @Test
  void reactivationLiftsTheMarkButRestoresNothingAndALaterDeactivationMarksAgain()
      throws Exception {
    AccessRequest first = granted("rita");
    String rita = directoryUser("rita");
    AuditTables.await(scim.users().patch(rita, entraDeactivates(), Optional.empty(), OKTA));
    assertThat(marksInForce("rita")).isEqualTo(1);

    JsonObject okta =
        new JsonObject()
            .put("schemas", new JsonArray().add("urn:ietf:params:scim:api:messages:2.0:PatchOp"))
            .put(
                "Operations",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("op", "replace")
                            .put("value", new JsonObject().put("active", true))));
    AuditTables.await(scim.users().patch(rita, okta, Optional.empty(), OKTA));

    assertThat(marksInForce("rita")).isZero();
    assertThat(
            AuditTables.strings(
                url,
                "SELECT details->>'deprovisioning' FROM audit_events"
                    + " WHERE type LIKE 'directory.user.%' AND details->>'user_id' = '"
                    + rita
                    + "' ORDER BY seq"))
        .containsExactly("none", "marked", "lifted");
    assertThat(now(first).state()).isEqualTo(RequestState.REVOKED);
    AccessRequest second = granted("rita");
    assertThat(AuditTables.await(scim.deprovisions().run())).isZero();
    assertThat(now(second).state()).isEqualTo(RequestState.APPROVED);

    // Deactivated again: a new mark, and what was granted since ends too.
    AuditTables.await(scim.users().patch(rita, entraDeactivates(), Optional.empty(), OKTA));
    assertThat(now(second).state()).isEqualTo(RequestState.REVOKED);
    assertThat(deprovisioned("rita")).containsExactly("1 0", "1 0");
  }

  @Test
  void aMarkLiftedBeforeItsWorkRanStillEndsWhatWasAskedBeforeTheLift() throws Exception {
    AccessRequest before = granted("lena");
    String lena = directoryUser("lena");
    // As a replica that committed the mark and died before doing its work would leave it, lifted
    // by a re-activation since.
    AuditTables.execute(
        url,
        "INSERT INTO directory_deprovisioned (issuer, subject, user_id, at, lifted_at,"
            + " next_attempt_at) VALUES ('"
            + idp.issuer()
            + "', 'lena', '"
            + lena
            + "', now(), '"
            + CLOCK.instant().plusSeconds(1)
            + "', '-infinity')");
    CLOCK.advance(Duration.ofSeconds(2));
    AccessRequest after = granted("lena");

    assertThat(AuditTables.await(scim.deprovisions().run())).isEqualTo(1);

    assertThat(now(before).state()).isEqualTo(RequestState.REVOKED);
    assertThat(now(after).state()).isEqualTo(RequestState.APPROVED);
  }

  static long marksInForce(String subject) throws Exception {
    return Long.parseLong(
        AuditTables.strings(
                url,
                "SELECT count(*) FROM directory_deprovisioned WHERE subject = '"
                    + subject
                    + "' AND lifted_at IS NULL")
            .get(0));
  }

  /** Each {@code person.deprovisioned} of {@code subject}: grants revoked, requests cancelled. */
  static List<String> deprovisioned(String subject) throws Exception {
    return AuditTables.strings(
        url,
        "SELECT (details->>'grants_revoked') || ' ' || (details->>'requests_cancelled')"
            + " FROM audit_events WHERE type = 'person.deprovisioned'"
            + " AND details->>'subject' = '"
            + subject
            + "' ORDER BY seq");
  }

  @Test
  void workThatKeepsFailingWaitsAndHoldsUpNoOneElse() throws Exception {
    AccessRequest bad = granted("bart");
    AccessRequest good = granted("gina");
    Deprovisioning real = DirectoryWiring.deprovisioning(access.leavers(), extensions.leavers());
    Deprovisioning failingForBart =
        (conn, leaver) ->
            leaver.person().subject().equals("bart")
                ? Future.failedFuture(new IllegalStateException("bart's work fails"))
                : real.end(conn, leaver);
    Scim replica =
        new Scim(
            db.pool(),
            audit,
            new Scim.Settings(
                TOKEN, URI.create("https://stint.example.com"), () -> Optional.of(idp.issuer())),
            failingForBart,
            Directory.NONE,
            CLOCK);
    for (String who : List.of("bart", "gina")) {
      AuditTables.execute(
          url,
          "INSERT INTO directory_deprovisioned (issuer, subject, user_id, at, next_attempt_at)"
              + " VALUES ('"
              + idp.issuer()
              + "', '"
              + who
              + "', 'user-of-"
              + who
              + "', now(), '-infinity')");
    }

    assertThat(AuditTables.failure(replica.deprovisions().run()))
        .hasMessageContaining("bart's work fails");
    assertThat(AuditTables.await(replica.deprovisions().run())).isEqualTo(1);

    assertThat(now(good).state()).isEqualTo(RequestState.REVOKED);
    assertThat(now(bad).state()).isEqualTo(RequestState.APPROVED);
    assertThat(
            AuditTables.strings(
                url,
                "SELECT attempts || ' ' || last_error || ' ' || (done_at IS NULL)"
                    + " FROM directory_deprovisioned WHERE subject = 'bart'"))
        .containsExactly("1 bart's work fails true");
    assertThat(deprovisioned("bart")).isEmpty();
    // Once its wait is over it is tried again, and done where the work succeeds.
    CLOCK.advance(Duration.ofMinutes(1));
    assertThat(AuditTables.await(scim.deprovisions().run()))
        .as("bart's first pass, and the second passes of the rows done so far")
        .isGreaterThanOrEqualTo(1);
    assertThat(now(bad).state()).isEqualTo(RequestState.REVOKED);
    assertThat(deprovisioned("bart")).containsExactly("1 0");
  }
}
