package dev.stint.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.testing.MutableClock;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GetCallerIdentity} at the STS stand-in, as the AWS CLI sends it: signed with credentials
 * the stand-in minted (their key in the credential scope, their token in {@code
 * X-Amz-Security-Token}), answered with the session's assumed-role ARN in STS's XML; a key it never
 * minted, the wrong token, an expired session and an unsigned call are refused in STS's words.
 */
class StsCallerIdentityTest {
  private static final String CALL = "Action=GetCallerIdentity&Version=2011-06-15";

  private final MutableClock clock = new MutableClock(Instant.now());
  private final StsStandIn sts = new StsStandIn(clock);
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() {
    sts.close();
  }

  private StsStandIn.Issued assume() throws Exception {
    HttpResponse<String> assumed =
        send(
            AwsStandInTest.ASSUME.replace("role%2Fx", "role%2Fops%2Fdemo-admin"),
            "AKIAEXAMPLEKEY000001",
            null);
    assertThat(assumed.statusCode()).as(assumed.body()).isEqualTo(200);
    return sts.issued().get(sts.issued().size() - 1);
  }

  private HttpResponse<String> send(String form, String key, String token) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(sts.uri())
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("X-Amz-Date", AwsStandInTest.DATE)
            .POST(HttpRequest.BodyPublishers.ofString(form));
    if (key != null) {
      request.header(
          "Authorization",
          AwsStandInTest.authorization("sts", "us-east-1").replace("AKIAEXAMPLEKEY000001", key));
    }
    if (token != null) {
      request.header("X-Amz-Security-Token", token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void answersWithTheAssumedRoleOfTheSessionThatSignedTheCall() throws Exception {
    StsStandIn.Issued issued = assume();

    HttpResponse<String> r = send(CALL, issued.accessKeyId(), issued.sessionToken());

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body())
        .startsWith(
            "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
                + "<GetCallerIdentityResult>"
                + "<Arn>arn:aws:sts::111122223333:assumed-role/demo-admin/jane@example.com</Arn>"
                + "<UserId>AROA3XFRBF535PLBIFPI4:jane@example.com</UserId>"
                + "<Account>111122223333</Account></GetCallerIdentityResult>"
                + "<ResponseMetadata><RequestId>")
        .endsWith("</RequestId></ResponseMetadata></GetCallerIdentityResponse>");
  }

  @Test
  void stintsOwnLongTermKeyIsTheHomeAccountsUser() throws Exception {
    HttpResponse<String> r = send(CALL, "AKIAEXAMPLEKEY000001", null);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body())
        .contains("<Arn>arn:aws:iam::111122223333:user/stint</Arn>")
        .contains("<Account>111122223333</Account>");
  }

  @Test
  void aSessionOfABrokerRoleInAnotherAccountIsThatAccounts() throws Exception {
    HttpResponse<String> assumed =
        send(
            AwsStandInTest.ASSUME.replace(
                "111122223333%3Arole%2Fx", "222233334444%3Arole%2Fbroker"),
            "AKIAEXAMPLEKEY000001",
            null);
    assertThat(assumed.statusCode()).as(assumed.body()).isEqualTo(200);
    StsStandIn.Issued issued = sts.issued().get(0);

    HttpResponse<String> r = send(CALL, issued.accessKeyId(), issued.sessionToken());

    assertThat(r.body()).contains("<Account>222233334444</Account>");
    assertThat(sts.account(issued.accessKeyId())).isEqualTo("222233334444");
    assertThat(sts.account("AKIAEXAMPLEKEY000001")).isEqualTo("111122223333");
  }

  @Test
  void aKeyItNeverMintedIsAnInvalidClientTokenId() throws Exception {
    StsStandIn.Issued issued = assume();

    refused(send(CALL, "ASIANEVERMINTED00001", issued.sessionToken()), 403, "InvalidClientTokenId");
  }

  @Test
  void itsKeyWithAnotherOrNoSessionTokenIsAnInvalidClientTokenId() throws Exception {
    StsStandIn.Issued issued = assume();

    refused(send(CALL, issued.accessKeyId(), "FQoGZXIvYXdzEother"), 403, "InvalidClientTokenId");
    refused(send(CALL, issued.accessKeyId(), null), 403, "InvalidClientTokenId");
  }

  @Test
  void anExpiredSessionIsAnExpiredToken() throws Exception {
    StsStandIn.Issued issued = assume();
    clock.set(issued.expiration());

    refused(send(CALL, issued.accessKeyId(), issued.sessionToken()), 403, "ExpiredToken");
  }

  @Test
  void anUnsignedCallIsRefusedAsUnsigned() throws Exception {
    StsStandIn.Issued issued = assume();

    refused(send(CALL, null, issued.sessionToken()), 403, "MissingAuthenticationToken");
  }

  private static void refused(HttpResponse<String> r, int status, String code) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.body())
        .startsWith("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">")
        .contains("<Type>Sender</Type><Code>" + code + "</Code>");
  }
}
