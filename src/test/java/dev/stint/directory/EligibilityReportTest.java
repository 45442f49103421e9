package dev.stint.directory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.config.DatabaseUrl;
import dev.stint.db.Database;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Eventually;
import dev.stint.testing.ScimWrites;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/reports/eligible} through a real server whose directory a provider filled over
 * SCIM: a requester group's member is listed as may-request, judged from their verified claims with
 * the directory's groups when stint has seen them and from the directory alone when not; a
 * non-member and an inactive user are listed nowhere; approvers are listed per stage (and a stage's
 * escalation's); active users are read a page at a time in id order; a rule that reads on-call is
 * conditional with its fact; only auditors may ask, of a profile the policy has.
 */
class EligibilityReportTest {
  static final String SCIM_TOKEN = "eligibility-scim-token-0123456789abcdef01234";

  static DatabaseUrl database;
  static TestIdp idp;
  static TestServer server;
  static String alice;
  static String bob;
  static String carol;
  static String dave;
  static String erin;

  static String policy(TestIdp idp) {
    String aws =
        "    aws: {role_arn: \"arn:aws:iam::111122223333:role/prod\", mode: assume_role}\n";
    return "issuers:\n"
        + idp.issuerYaml("corp")
        + "profiles:\n"
        + "  prod:\n"
        + aws
        + "    max_duration: 1h\n"
        + "    requesters: '\"eng\" in principal.groups'\n"
        + "    approval:\n"
        + "      stages:\n"
        + "        - {name: lead, count: 1, approvers: '\"leads\" in principal.groups'}\n"
        + "        - {name: security, count: 1, approvers: '\"security\" in principal.groups',\n"
        + "           escalate_after: 2h, escalate_to: '\"ciso\" in principal.groups'}\n"
        + "  oncall-db:\n"
        + aws
        + "    max_duration: 1h\n"
        + "    requesters: '\"sre\" in principal.groups && oncall(\"PABC123\")'\n"
        + "    approval: {count: 1, approvers: '\"leads\" in principal.groups'}\n"
        + "auditors: '\"auditors\" in principal.groups'\n";
  }

  @BeforeAll
  static void start() throws Exception {
    idp = new TestIdp("corp");
    database = TestPostgres.migratedDatabase();
    server =
        TestServer.start(
            database,
            Map.of("STINT_DIRECTORY_SCIM_TOKEN", SCIM_TOKEN, "STINT_DIRECTORY_ISSUER", "corp"),
            policy(idp));
    // alice is seen (an API call) before her directory user is written, so it is matched to her.
    assertThat(server.get("/v1/profiles", idp.token("alice", "token-only")).statusCode())
        .isEqualTo(200);
    Eventually.until(
        "alice is among the people seen",
        Duration.ofSeconds(10),
        () -> count("people_seen", "subject = 'alice'") == 1);
    ScimWrites scim = new ScimWrites(server, SCIM_TOKEN);
    alice = scim.user("alice", "alice", true);
    bob = scim.user("bob", "ext-bob", true);
    carol = scim.user("carol", "ext-carol", true);
    dave = scim.user("dave", "ext-dave", false);
    erin = scim.user("erin", "ext-erin", true);
    scim.group("eng", List.of(alice, dave));
    scim.group("leads", List.of(bob, dave));
    scim.group("security", List.of(carol));
    scim.group("sre", List.of(carol, erin));
    scim.group("ciso", List.of(bob));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    idp.close();
  }

  @Test
  void aRequesterGroupsMemberMayRequestJudgedByTheirClaimsWithTheDirectorysGroups() {
    JsonObject report = report("?profile=prod", "audrey", 200);
    JsonObject prod = profile(report, "prod");
    assertThat(users(prod.getJsonArray("requesters"))).containsExactly(alice);
    assertThat(answers(prod.getJsonArray("requesters"))).containsExactly("yes");
    JsonObject a = user(report, alice).orElseThrow();
    assertThat(a.getString("basis")).isEqualTo("claims");
    assertThat(a.getJsonObject("person").getString("subject")).isEqualTo("alice");
    assertThat(a.getJsonArray("groups").getList()).containsExactly("eng");
    assertThat(user(report, bob).orElseThrow().getString("basis")).isEqualTo("directory");
    assertThat(report.getString("next_cursor")).isNull();
  }

  @Test
  void aNonMemberAndAnInactiveUserAreListedNowhere() {
    JsonObject prod = report("?profile=prod", "audrey", 200);
    assertThat(user(prod, erin)).as("erin is in no group prod's rules name").isEmpty();
    assertThat(prod.encode()).doesNotContain(erin);
    JsonObject all = report("", "audrey", 200);
    assertThat(user(all, erin)).as("on call, erin may request oncall-db").isPresent();
    assertThat(all.encode()).as("dave is in eng and leads, and inactive").doesNotContain(dave);
  }

  @Test
  void approversAreListedStageByStage() {
    JsonArray stages =
        profile(report("?profile=prod", "audrey", 200), "prod").getJsonArray("stages");
    assertThat(stages.getJsonObject(0).getString("name")).isEqualTo("lead");
    assertThat(users(stages.getJsonObject(0).getJsonArray("approvers"))).containsExactly(bob);
    assertThat(stages.getJsonObject(1).getString("name")).isEqualTo("security");
    assertThat(users(stages.getJsonObject(1).getJsonArray("approvers"))).containsExactly(carol);
    assertThat(users(stages.getJsonObject(1).getJsonArray("escalation_approvers")))
        .containsExactly(bob);
    assertThat(stages.getJsonObject(0).containsKey("escalation_approvers"))
        .as("lead does not escalate")
        .isFalse();
  }

  @Test
  void activeUsersComeAPageAtATimeInIdOrder() throws Exception {
    Vertx vertx = Vertx.vertx();
    Database db = Database.connect(vertx, database, 1);
    try {
      ActiveUsers users = new ActiveUsers(db.pool());
      List<String> ids = new ArrayList<>();
      String after = "";
      List<ActiveUsers.User> page;
      do {
        page = AuditTables.await(users.after(after, 2));
        page.forEach(u -> ids.add(u.id()));
        after = page.isEmpty() ? after : page.get(page.size() - 1).id();
      } while (page.size() == 2);
      assertThat(ids).containsExactlyElementsOf(ids.stream().sorted().toList());
      assertThat(ids).containsExactlyInAnyOrder(alice, bob, carol, erin);
    } finally {
      db.close();
      AuditTables.await(vertx.close());
    }
  }

  @Test
  void aRuleReadingOnCallIsConditionalWithItsFact() {
    JsonObject db = profile(report("?profile=oncall-db", "audrey", 200), "oncall-db");
    JsonArray requesters = db.getJsonArray("requesters");
    assertThat(users(requesters)).containsExactlyInAnyOrder(carol, erin);
    for (int i = 0; i < requesters.size(); i++) {
      assertThat(requesters.getJsonObject(i).getString("answer")).isEqualTo("conditional");
      assertThat(requesters.getJsonObject(i).getJsonArray("facts").getList())
          .containsExactly("oncall(PABC123)");
    }
  }

  @Test
  void onlyAuditorsMayAskAndOnlyOfAProfileThePolicyHas() {
    assertThat(get("", idp.token("mallory", "eng")).statusCode()).isEqualTo(403);
    assertThat(get("?profile=nope", idp.token("audrey", "auditors")).statusCode()).isEqualTo(404);
    assertThat(get("?profile=prod&profile=oncall-db", idp.token("audrey", "auditors")).statusCode())
        .isEqualTo(400);
  }

  static HttpResponse<String> get(String query, String token) {
    return server.get("/v1/reports/eligible" + query, token);
  }

  static JsonObject report(String query, String who, int status) {
    HttpResponse<String> r = get(query, idp.token(who, "auditors"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    return new JsonObject(r.body());
  }

  static JsonObject profile(JsonObject report, String name) {
    JsonArray profiles = report.getJsonArray("profiles");
    for (int i = 0; i < profiles.size(); i++) {
      if (profiles.getJsonObject(i).getString("name").equals(name)) {
        return profiles.getJsonObject(i);
      }
    }
    throw new AssertionError("no profile " + name + " in " + report.encode());
  }

  static Optional<JsonObject> user(JsonObject report, String id) {
    JsonArray users = report.getJsonArray("users");
    for (int i = 0; i < users.size(); i++) {
      if (users.getJsonObject(i).getString("id").equals(id)) {
        return Optional.of(users.getJsonObject(i));
      }
    }
    return Optional.empty();
  }

  static List<String> users(JsonArray listed) {
    List<String> out = new ArrayList<>();
    listed.forEach(l -> out.add(((JsonObject) l).getString("user")));
    return out;
  }

  static List<String> answers(JsonArray listed) {
    List<String> out = new ArrayList<>();
    listed.forEach(l -> out.add(((JsonObject) l).getString("answer")));
    return out;
  }

  static long count(String table, String where) throws Exception {
    return Long.parseLong(
        AuditTables.strings(database, "SELECT count(*) FROM " + table + " WHERE " + where).get(0));
  }
}
