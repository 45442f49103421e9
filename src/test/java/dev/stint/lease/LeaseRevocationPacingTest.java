package dev.stint.lease;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.testing.ApiCalls;
import dev.stint.testing.ApiCalls.Answer;
import dev.stint.testing.AuditTables;
import dev.stint.testing.AwsStack;
import dev.stint.testing.Eventually;
import dev.stint.testing.TestIdp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A holder's own lease revokes count in the same pace as their grant revokes: one person running
 * lease create → mint → revoke rounds on a shared role writes that role's deny at most {@code
 * access.own_revocations_per_role} times while their revoked leases' sessions may be alive; past it
 * each revoke answers {@code 429} with {@code Retry-After}, recorded as {@code lease.revoke_paced}
 * and never as a refusal, and the lease stands. An approver's revoke of the same lease is never
 * slowed. On a real server, the AWS SDK and the IAM stand-in, whose writes are counted.
 */
class LeaseRevocationPacingTest {
  static final String ROLE = "arn:aws:iam::111122223333:role/shared";
  static final int PER_ROLE = 3;
  static final int ROUNDS = 10;
  static AwsStack aws;
  static TestIdp idp;
  static ApiCalls api;

  @BeforeAll
  static void start() {
    aws =
        AwsStack.start(
            LeaseRevocationPacingTest::policy,
            Map.of("STINT_ACCESS_OWN_REVOCATIONS_PER_ROLE", Integer.toString(PER_ROLE)),
            "shared");
    idp = aws.idp();
    api = aws.api();
  }

  @AfterAll
  static void stop() throws Exception {
    aws.close();
  }

  static String policy(TestIdp idp) {
    return "issuers:\n"
        + idp.issuerYaml("corp")
        + "profiles:\n"
        + "  shared-read:\n"
        + "    aws: {role_arn: \""
        + ROLE
        + "\", mode: assume_role}\n"
        + "    max_duration: 2h\n"
        + "    requesters: 'true'\n"
        + "    approval: {count: 1, approvers: 'principal.groups.exists(g, g == \"sre\")'}\n"
        + "    leases: {max_duration: 1h, max_active: "
        + (ROUNDS + 1)
        + "}\n";
  }

  /** An approved grant of {@code user} on the shared role: its request id. */
  static String grant(String user) {
    Answer created =
        api.post(
            idp.token(user, "eng"),
            "/v1/requests",
            "{\"profile\":\"shared-read\",\"duration_seconds\":3600,\"reason\":\"agent work\"}");
    assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    String id = created.body().get("id").asText();
    Answer approved = api.post(idp.token("sam", "sre"), "/v1/requests/" + id + "/approve", "{}");
    assertThat(approved.body().get("state").asText()).isEqualTo("active");
    return id;
  }

  /** A lease of {@code request} made by {@code user}, minted on once: its id and token. */
  static String[] leaseMinted(String user, String request) {
    Answer lease =
        api.post(
            idp.token(user, "eng"),
            "/v1/requests/" + request + "/leases",
            "{\"task\":\"one round\",\"duration_seconds\":900}");
    assertThat(lease.status()).as(lease.body().toString()).isEqualTo(201);
    String id = lease.body().get("id").asText();
    String token = lease.body().get("lease_token").asText();
    assertThat(mint(token, id).status()).isEqualTo(200);
    return new String[] {id, token};
  }

  static Answer mint(String token, String leaseId) {
    return api.post(token, "/v1/credentials", "{\"lease\":\"" + leaseId + "\"}");
  }

  static long puts() {
    return aws.iam().calls().stream()
        .filter(c -> "PutRolePolicy".equals(c.param("Action")))
        .count();
  }

  static long count(String where) throws Exception {
    return AuditTables.count(aws.db(), where);
  }

  @Test
  void aHoldersOwnLeaseRevokesArePacedAndBoundTheRolesWritesWhileOthersAreNot() throws Exception {
    String request = grant("pat");
    List<String> revoked = new ArrayList<>();
    List<String[]> standing = new ArrayList<>();
    for (int i = 0; i < ROUNDS; i++) {
      String[] lease = leaseMinted("pat", request);
      Answer answer = api.post(idp.token("pat", "eng"), "/v1/leases/" + lease[0] + "/revoke", "{}");
      if (answer.status() == 429) {
        assertThat(answer.code()).isEqualTo("revocations_paced");
        long seconds = answer.body().path("retry_after_seconds").asLong();
        assertThat(seconds).isBetween(1L, Duration.ofHours(2).toSeconds());
        assertThat(answer.header("Retry-After")).contains(Long.toString(seconds));
        assertThat(answer.body().path("detail").asText()).contains("Your lease stands");
        standing.add(lease);
        continue;
      }
      assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
      revoked.add(lease[0]);
    }
    Eventually.until(
        "the revoked leases' denies",
        Duration.ofSeconds(60),
        () -> count("type = 'lease.revocation_applied'") >= revoked.size());

    assertThat(revoked).as("revoked until her share of the role was taken").hasSize(PER_ROLE);
    assertThat(standing).hasSize(ROUNDS - PER_ROLE);
    assertThat(puts()).as("IAM writes of her rounds").isBetween(1L, (long) PER_ROLE);
    assertThat(count("type = 'lease.revoke_paced' AND outcome = 'paced'"))
        .isEqualTo(standing.size());
    assertThat(count("type = 'lease.refused' AND details->>'action' = 'revoke'"))
        .as("a paced revoke is never recorded as a refusal")
        .isZero();
    String[] paced = standing.get(0);
    assertThat(api.get(idp.token("pat", "eng"), "/v1/leases/" + paced[0]).body().get("state"))
        .as("the lease stands, as the answer said")
        .hasToString("\"active\"");
    assertThat(mint(paced[1], paced[0]).status()).isEqualTo(200);

    // Her own grant's revoke counts her revoked leases on the role: paced too.
    Answer grantRevoke =
        api.post(idp.token("pat", "eng"), "/v1/requests/" + request + "/revoke", "{}");
    assertThat(grantRevoke.status()).as(grantRevoke.body().toString()).isEqualTo(429);
    assertThat(grantRevoke.code()).isEqualTo("revocations_paced");

    // An approver's revoke of her lease is never slowed.
    Answer byApprover =
        api.post(idp.token("sam", "sre"), "/v1/leases/" + paced[0] + "/revoke", "{}");
    assertThat(byApprover.status()).as(byApprover.body().toString()).isEqualTo(200);
    assertThat(byApprover.body().get("state").asText()).isEqualTo("revoked");
  }
}
