package dev.stint.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.config.DatabaseUrl;
import dev.stint.testing.AuditTables;
import dev.stint.testing.FakeSts;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code source_cidrs} through a real server: a caller outside the networks is refused (and the
 * refusal audited) before any grant is made or STS is called; a caller inside gets a session whose
 * policy repeats the restriction for AWS.
 */
class SourceNetworksEndToEndIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static FakeSts sts;
  static TestIdp idp;
  static DatabaseUrl db;
  static TestServer server;

  static String policy(TestIdp idp) {
    return "issuers:\n"
        + idp.issuerYaml("corp")
        + "profiles:\n"
        + "  office-only:\n"
        + "    aws: {role_arn: \"arn:aws:iam::111122223333:role/prod\", mode: assume_role}\n"
        + "    max_duration: 1h\n"
        + "    requesters: 'true'\n"
        + "    approval: {count: 1, approvers: 'true', auto_approve: 'true'}\n"
        + "    source_cidrs: [10.0.0.0/8, 203.0.113.7/32]\n"
        + "  from-here:\n"
        + "    aws: {role_arn: \"arn:aws:iam::111122223333:role/prod\", mode: assume_role}\n"
        + "    max_duration: 1h\n"
        + "    requesters: 'true'\n"
        + "    approval: {count: 1, approvers: 'true', auto_approve: 'true'}\n"
        + "    source_cidrs: [127.0.0.0/8, '::1/128']\n"
        + "  vpn-only:\n"
        + "    aws: {role_arn: \"arn:aws:iam::111122223333:role/prod\", mode: assume_role}\n"
        + "    max_duration: 1h\n"
        + "    requesters: 'true'\n"
        + "    approval: {count: 1, approvers: 'true', auto_approve: 'true'}\n"
        + "    source_cidrs: [10.0.0.0/8]\n"
        + "  anywhere:\n"
        + "    aws: {role_arn: \"arn:aws:iam::111122223333:role/prod\", mode: assume_role}\n"
        + "    max_duration: 1h\n"
        + "    requesters: 'true'\n"
        + "    approval: {count: 1, approvers: 'true', auto_approve: 'true'}\n";
  }

  @BeforeAll
  static void start() {
    System.setProperty("aws.accessKeyId", "AKIASTINTE2ETEST0002");
    System.setProperty("aws.secretAccessKey", "stint-e2e-test-secret-not-real-0000000000");
    sts = new FakeSts();
    idp = new TestIdp("corp");
    db = TestPostgres.migratedDatabase();
    server =
        TestServer.start(
            db,
            Map.of("STINT_AWS_STS_ENDPOINT", sts.uri().toString(), "STINT_AWS_REGION", "eu-west-1"),
            policy(idp));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    idp.close();
    sts.close();
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  static HttpResponse<String> credentials(String profile) {
    return credentials(server, profile, Optional.empty());
  }

  static HttpResponse<String> credentials(
      TestServer to, String profile, Optional<String> forwardedFor) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(to.uri("/v1/credentials"))
            .header("Authorization", "Bearer " + idp.token("alice", "eng"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"profile\":\"" + profile + "\"}"));
    forwardedFor.ifPresent(f -> b.header("X-Forwarded-For", f));
    return to.send(b.build());
  }

  @Test
  void aForwardedForHeaderIsIgnoredUnlessThePeerIsATrustedProxy() {
    HttpResponse<String> r = credentials(server, "vpn-only", Optional.of("10.1.2.3"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
    assertThat(r.body()).contains("your address 127.0.0.1 is outside");
  }

  @Test
  void behindATrustedProxyTheAddressItForwardsIsChecked() throws Exception {
    // This server believes 127.0.0.1 is its load balancer.
    try (TestServer behindProxy =
        TestServer.start(
            db,
            Map.of(
                "STINT_AWS_STS_ENDPOINT",
                sts.uri().toString(),
                "STINT_AWS_REGION",
                "eu-west-1",
                "STINT_TRUSTED_PROXIES",
                "127.0.0.0/8"),
            policy(idp))) {
      HttpResponse<String> inside = credentials(behindProxy, "vpn-only", Optional.of("10.1.2.3"));
      assertThat(inside.statusCode()).as(inside.body()).isEqualTo(200);
      assertThat(
              AuditTables.count(
                  db,
                  "type = 'credential.issued' AND profile = 'vpn-only'"
                      + " AND client_address = '10.1.2.3'"))
          .isEqualTo(1);

      // The caller wrote 10.9.9.9 itself; the proxy appended the real address, outside.
      HttpResponse<String> spoofed =
          credentials(behindProxy, "vpn-only", Optional.of("10.9.9.9, 198.51.100.20"));
      assertThat(spoofed.statusCode()).as(spoofed.body()).isEqualTo(403);
      assertThat(JSON.readTree(spoofed.body()).get("detail").asText())
          .startsWith("your address 198.51.100.20 is outside");

      HttpResponse<String> unreadable =
          credentials(behindProxy, "vpn-only", Optional.of("unknown"));
      assertThat(unreadable.statusCode()).as(unreadable.body()).isEqualTo(403);
      // An unrestricted profile does not care where the caller is.
      assertThat(credentials(behindProxy, "anywhere", Optional.of("unknown")).statusCode())
          .isEqualTo(200);
    }
  }

  @Test
  void aCallerOutsideTheNetworksIsRefusedWithTheReasonAndAudited() throws Exception {
    HttpResponse<String> r = credentials("office-only");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("code").asText()).isEqualTo("forbidden");
    assertThat(body.get("detail").asText())
        .isEqualTo(
            "your address 127.0.0.1 is outside the "
                + "networks profile 'office-only' allows (source_cidrs)");
    assertThat(sts.calls()).noneMatch(c -> "office-only".equals(c.param("Tags.member.2.Value")));
    assertThat(
            AuditTables.count(
                db,
                "type = 'credential.denied' AND profile = 'office-only'"
                    + " AND reason LIKE 'your address 127.0.0.1 is outside%' AND client_address = '127.0.0.1'"))
        .isEqualTo(1);
    assertThat(AuditTables.count(db, "type = 'request.created' AND profile = 'office-only'"))
        .as("no grant is made for a caller who could not use it")
        .isZero();
  }

  @Test
  void aCallerInsideGetsASessionThatRepeatsTheRestriction() throws Exception {
    HttpResponse<String> r = credentials("from-here");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    String policy =
        sts.calls().stream()
            .filter(c -> "from-here".equals(c.param("Tags.member.2.Value")))
            .findFirst()
            .orElseThrow()
            .param("Policy");
    assertThat(policy)
        .endsWith(
            ",{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\","
                + "\"Condition\":{\"NotIpAddress\":{\"aws:SourceIp\":[\"127.0.0.0/8\","
                + "\"0:0:0:0:0:0:0:1/128\"]},\"Bool\":{\"aws:ViaAWSService\":\"false\"}}}]}")
        .contains("\"aws:CurrentTime\"");
  }
}
