package dev.stint.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.testing.ApiCalls;
import dev.stint.testing.ApiCalls.Answer;
import dev.stint.testing.AuditTables;
import dev.stint.testing.AwsStack;
import dev.stint.testing.DenyEvaluator.Session;
import dev.stint.testing.Eventually;
import dev.stint.testing.FakeAwsEndpoint.Call;
import dev.stint.testing.FakeIam;
import dev.stint.testing.TestIdp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The weapon of issue 51: anyone who may request an auto-approved profile on a role shared with a
 * privileged profile revokes their own grants, again and again, until the role's deny no longer
 * fits and stint cuts every session of the role, the victim's among them. Against the real SDK, the
 * IAM stand-in with IAM's limits and a real database: the victim's session must never be denied at
 * any point, whatever the flood does.
 */
class SelfRevocationFloodIT {
  private static final String ROLE = "arn:aws:iam::111122223333:role/shared";
  private static final int CYCLES = 200;
  static AwsStack aws;
  static FakeIam iam;
  static TestIdp idp;
  static ApiCalls api;

  @BeforeAll
  static void start() {
    aws = AwsStack.start(SelfRevocationFloodIT::policy, "shared");
    iam = aws.iam();
    idp = aws.idp();
    api = aws.api();
  }

  @AfterAll
  static void stop() throws Exception {
    aws.close();
  }

  /** On one role: an admin profile an sre approves, and a read-only one anyone gets at once. */
  static String policy(TestIdp idp) {
    return "issuers:\n"
        + idp.issuerYaml("corp")
        + "profiles:\n"
        + "  admin-shared:\n"
        + "    aws: {role_arn: \""
        + ROLE
        + "\", mode: assume_role}\n"
        + "    max_duration: 2h\n"
        + "    requesters: 'principal.groups.exists(g, g == \"eng\")'\n"
        + "    approval: {count: 1, approvers: 'principal.groups.exists(g, g == \"sre\")'}\n"
        + "  readonly-shared:\n"
        + "    aws: {role_arn: \""
        + ROLE
        + "\", mode: assume_role}\n"
        + "    max_duration: 1h\n"
        + "    requesters: 'true'\n"
        + "    approval: {count: 1, approvers: 'principal.groups.exists(g, g == \"sre\")',"
        + " auto_approve: 'true'}\n";
  }

  @Test
  void onePersonsOwnRevocationsNeverCutAnotherPersonsLiveSession() throws Exception {
    String victimRequest = adminGrant("alice");
    Session victim = mint(idp.token("alice", "eng"), "admin-shared");
    List<String> cuts = new CopyOnWriteArrayList<>();
    iam.afterPut(
        () -> {
          if (iam.denies("shared", victim, Instant.now())) {
            cuts.add("denied after write " + iam.calls().size());
          }
        });

    List<String> revoked = new ArrayList<>();
    List<Session> flood = new ArrayList<>();
    int paced = 0;
    for (int i = 0; i < CYCLES; i++) {
      Session minted = mint(idp.token("mallory"), "readonly-shared");
      String request = requestOf(minted);
      Answer answer = api.post(idp.token("mallory"), "/v1/requests/" + request + "/revoke", "{}");
      if (answer.status() == 429) {
        // Slowed, never refused: when to try again, in the header and the problem alike.
        assertThat(answer.code()).isEqualTo("revocations_paced");
        long seconds = answer.body().path("retry_after_seconds").asLong();
        assertThat(seconds).isBetween(1L, Duration.ofHours(2).toSeconds());
        assertThat(answer.header("Retry-After")).contains(Long.toString(seconds));
        paced++;
        continue;
      }
      assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
      revoked.add(request);
      flood.add(minted);
      assertThat(iam.denies("shared", victim, Instant.now())).as("after cycle " + i).isFalse();
    }
    awaitSettled(revoked);

    assertThat(cuts).as("the victim's session was cut").isEmpty();
    assertThat(iam.denies("shared", victim, Instant.now())).isFalse();
    assertThat(
            AuditTables.count(
                aws.db(), "type = 'grant.revocation_widened' AND target = '" + ROLE + "'"))
        .isZero();
    assertThat(
            AuditTables.count(
                aws.db(), "type = 'grant.sessions_cut' AND request_id = '" + victimRequest + "'"))
        .isZero();
    Instant later = Instant.now().plus(Duration.ofMinutes(5));
    assertThat(flood).allMatch(s -> iam.denies("shared", s, later));
    assertThat(paced).as("her own revocations were slowed once she had 100 alive").isPositive();
    assertThat(AuditTables.count(aws.db(), "type = 'request.revoke_paced' AND outcome = 'paced'"))
        .isEqualTo(paced);
    assertThat(
            AuditTables.count(
                aws.db(), "type = 'request.refused' AND details->>'action' = 'revoke'"))
        .as("a paced revoke is never recorded as a refusal")
        .isZero();
    System.out.printf(
        "self-revocation flood: %d revoked, %d slowed with 429 of %d cycles%n",
        revoked.size(), paced, CYCLES);
  }

  /** An approved admin grant on the shared role for {@code user}: the request id. */
  static String adminGrant(String user) {
    Answer created =
        api.post(
            idp.token(user, "eng"),
            "/v1/requests",
            "{\"profile\":\"admin-shared\",\"duration_seconds\":3600,\"reason\":\"on call\"}");
    assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    String id = created.body().get("id").asText();
    Answer approved = api.post(idp.token("sam", "sre"), "/v1/requests/" + id + "/approve", "{}");
    assertThat(approved.body().get("state").asText()).isEqualTo("active");
    return id;
  }

  /** Mints on {@code profile} and answers the session the STS stand-in made for it. */
  static Session mint(String token, String profile) {
    Instant before = Instant.now();
    Answer a = api.post(token, "/v1/credentials", "{\"profile\":\"" + profile + "\"}");
    assertThat(a.status()).as(a.body().toString()).isEqualTo(200);
    String grant = a.body().get("grant_id").asText();
    List<Call> calls =
        aws.sts().calls().stream()
            .filter(c -> "AssumeRole".equals(c.param("Action")))
            .filter(c -> grant.equals(c.param("Tags.member.1.Value")))
            .toList();
    return Session.of(calls.get(calls.size() - 1), before);
  }

  static String requestOf(Session session) throws Exception {
    return AuditTables.strings(
            aws.db(),
            "SELECT request_id FROM grants WHERE id = '" + session.tags().get("stint:grant") + "'")
        .get(0);
  }

  static void awaitSettled(List<String> requests) throws Exception {
    if (requests.isEmpty()) {
      return;
    }
    String in = "'" + String.join("','", requests) + "'";
    Eventually.until(
        requests.size() + " revocations to settle",
        Duration.ofSeconds(120),
        () ->
            AuditTables.count(
                    aws.db(), "type = 'grant.revocation_applied' AND request_id IN (" + in + ")")
                >= requests.size());
  }
}
