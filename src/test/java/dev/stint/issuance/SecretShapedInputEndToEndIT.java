package dev.stint.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.audit.AuditRedactor;
import dev.stint.testing.ApiCalls.Answer;
import dev.stint.testing.AuditTables;
import dev.stint.testing.AwsStack;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Caller-supplied values shaped like secrets (a user agent or a profile name that looks like an AWS
 * secret key, an Entra pairwise subject) through a real server: the caller gets the answer the
 * request deserves, the event is recorded, and the stored event and the log keep a redaction marker
 * with a fingerprint instead of the value, except the subject, which is the person's key.
 */
class SecretShapedInputEndToEndIT {
  /** 40 base64 characters mixing cases and digits: what SecretGuard takes for an AWS secret. */
  static final String AWS_SECRET_SHAPE = "Zq8rT2vLx0Wm4NbY7cHs1KdJf5Gp3Ae9Ru6Vi0Ox";

  /** An Entra pairwise subject: 43 base64url characters, here with a 40-run in it. */
  static final String ENTRA_SUB = "xQ-" + "Zq8rT2vLx0Wm4NbY7cHs1KdJf5Gp3Ae9Ru6Vi0Oy";

  static AwsStack aws;

  @BeforeAll
  static void start() {
    aws = AwsStack.start();
  }

  @AfterAll
  static void stop() throws Exception {
    aws.close();
  }

  static Answer post(String token, String path, String body, String userAgent) {
    return aws.api().call(token, "POST", path, body, userAgent);
  }

  /** An auto-approved sandbox grant for {@code token}'s person. */
  static void activeSandboxGrant(String token) throws Exception {
    Answer created =
        post(
            token,
            "/v1/requests",
            "{\"profile\":\"sandbox\",\"duration_seconds\":1800,\"reason\":\"INC-7\"}",
            "test");
    assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    assertThat(created.body().get("state").asText()).isEqualTo("active");
  }

  static List<String> column(String column, String where) throws Exception {
    return AuditTables.strings(
        aws.db(),
        "SELECT coalesce(" + column + ", '') FROM audit_events WHERE " + where + " ORDER BY seq");
  }

  @Test
  void aUserAgentShapedLikeAnAwsSecretIsRedactedAndTheCredentialIssued() throws Exception {
    String token = aws.idp().token("uma", "oncall");
    activeSandboxGrant(token);

    Answer a = post(token, "/v1/credentials", "{\"profile\":\"sandbox\"}", AWS_SECRET_SHAPE);

    assertThat(a.status()).as(a.body().toString()).isEqualTo(200);
    String where = "type = 'credential.issued' AND actor_subject = 'uma'";
    List<String> agents = column("user_agent", where);
    assertThat(agents).hasSize(1);
    assertThat(agents.get(0)).startsWith("[redacted hmac-sha256:").doesNotContain(AWS_SECRET_SHAPE);
    assertThat(column("details->>'redacted'", where).get(0)).contains("user_agent");
    assertThat(String.join("\n", AuditTables.rowsAsText(aws.db())))
        .doesNotContain(AWS_SECRET_SHAPE);
  }

  @Test
  void anOverlongUserAgentIsCutInTheRecordOfTheDenial() throws Exception {
    String token = aws.idp().token("quinn", "eng");
    String agent = "curl/8" + " x-tool/1.0".repeat(500);

    Answer a = post(token, "/v1/credentials", "{\"profile\":\"sandbox\"}", agent);

    assertThat(a.status()).as(a.body().toString()).isEqualTo(403);
    String where = "type = 'credential.denied' AND actor_subject = 'quinn'";
    List<String> agents = column("user_agent", where);
    assertThat(agents)
        .singleElement()
        .asString()
        .hasSize(AuditRedactor.MAX_CALLER_TEXT + "[cut from 5506 characters]".length())
        .startsWith("curl/8 x-tool/1.0 ")
        .endsWith("[cut from 5506 characters]");
    assertThat(column("details->>'truncated'", where)).containsExactly("[\"user_agent\"]");
  }

  @Test
  void anUnknownProfileShapedLikeASecretIs404AndTheDenialIsRecordedRedacted() throws Exception {
    String token = aws.idp().token("pia", "eng");

    Answer a = post(token, "/v1/credentials", "{\"profile\":\"" + AWS_SECRET_SHAPE + "\"}", "t");

    assertThat(a.status()).as(a.body().toString()).isEqualTo(404);
    String where = "type = 'credential.denied' AND actor_subject = 'pia'";
    List<String> profiles = column("profile", where);
    assertThat(profiles).hasSize(1);
    String marker = profiles.get(0);
    assertThat(marker).startsWith("[redacted hmac-sha256:").doesNotContain(AWS_SECRET_SHAPE);
    // The same value gets the same marker wherever it appears, so an auditor can correlate.
    assertThat(column("reason", where).get(0)).contains(marker);
    assertThat(column("details->>'redacted'", where).get(0)).contains("profile", "reason");
    assertThat(String.join("\n", AuditTables.rowsAsText(aws.db())))
        .doesNotContain(AWS_SECRET_SHAPE);
  }

  @Test
  void anUnknownRequestIdShapedLikeASecretIs404AndTheRefusalIsRecordedRedacted() throws Exception {
    String token = aws.idp().token("quinn", "sre");

    Answer a = post(token, "/v1/requests/" + AWS_SECRET_SHAPE + "/approve", "{}", "t");

    assertThat(a.status()).as(a.body().toString()).isEqualTo(404);
    assertThat(a.code()).isEqualTo("not_found");
    String where = "type = 'request.refused' AND actor_subject = 'quinn'";
    List<String> ids = column("request_id", where);
    assertThat(ids).hasSize(1);
    assertThat(ids.get(0)).startsWith("[redacted hmac-sha256:");
    assertThat(String.join("\n", AuditTables.rowsAsText(aws.db())))
        .doesNotContain(AWS_SECRET_SHAPE);
  }

  @Test
  void aRequestForASecretShapedProfileIs404AndTheRefusalIsRecordedRedacted() throws Exception {
    String token = aws.idp().token("rita", "eng");

    Answer a =
        post(
            token,
            "/v1/requests",
            "{\"profile\":\""
                + AWS_SECRET_SHAPE
                + "\",\"duration_seconds\":600,\"reason\":\"INC-9\"}",
            "t");

    assertThat(a.status()).as(a.body().toString()).isEqualTo(404);
    String where = "type = 'request.refused' AND actor_subject = 'rita'";
    assertThat(column("profile", where))
        .singleElement()
        .asString()
        .startsWith("[redacted hmac-sha256:");
    assertThat(String.join("\n", AuditTables.rowsAsText(aws.db())))
        .doesNotContain(AWS_SECRET_SHAPE);
  }

  @Test
  void aSecretShapedTicketIsKeptOutOfTheRecordButTheRequestIsCreated() throws Exception {
    String token = aws.idp().token("sven", "oncall");

    Answer a =
        post(
            token,
            "/v1/requests",
            "{\"profile\":\"sandbox\",\"duration_seconds\":600,"
                + "\"reason\":\"INC-10\",\"ticket\":\""
                + AWS_SECRET_SHAPE
                + "\"}",
            "t");

    assertThat(a.status()).as(a.body().toString()).isEqualTo(201);
    String where = "type = 'request.created' AND actor_subject = 'sven'";
    assertThat(column("details->>'ticket'", where))
        .singleElement()
        .asString()
        .startsWith("[redacted hmac-sha256:");
    assertThat(column("details->>'redacted'", where))
        .singleElement()
        .asString()
        .contains("details.ticket");
  }

  @Test
  void anEntraPairwiseSubjectRequestsAndGetsCredentialsAndIsStoredAsItIs() throws Exception {
    String token = aws.idp().tokenWithClaims(ENTRA_SUB, Map.of("groups", List.of("oncall")));
    activeSandboxGrant(token);

    Answer a = post(token, "/v1/credentials", "{\"profile\":\"sandbox\"}", "aws-cli");

    assertThat(a.status()).as(a.body().toString()).isEqualTo(200);
    assertThat(column("type", "actor_subject = '" + ENTRA_SUB + "'"))
        .contains("request.created", "credential.issued");
  }
}
