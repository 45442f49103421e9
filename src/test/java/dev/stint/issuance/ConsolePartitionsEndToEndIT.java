package dev.stint.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.config.DatabaseUrl;
import dev.stint.testing.AuditTables;
import dev.stint.testing.FakeSignin;
import dev.stint.testing.FakeSts;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code POST /v1/console} on a real server: the console a link lands on follows the partition of
 * the profile's role ARN, and a destination or region of another partition is refused (and audited)
 * before any session is minted.
 */
class ConsolePartitionsEndToEndIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  static FakeSts sts;
  static FakeSignin signin;
  static TestIdp idp;
  static DatabaseUrl db;
  static TestServer server;

  @BeforeAll
  static void start() {
    System.setProperty("aws.accessKeyId", "AKIASTINTE2ETEST0002");
    System.setProperty("aws.secretAccessKey", "stint-e2e-test-secret-not-real-0000000002");
    sts = new FakeSts();
    signin = new FakeSignin();
    idp = new TestIdp("corp");
    db = TestPostgres.migratedDatabase();
    server = start(db);
  }

  /** A server on {@code db} with a profile on a role of each partition. */
  static TestServer start(DatabaseUrl db) {
    StringBuilder policy = new StringBuilder("issuers:\n" + idp.issuerYaml("corp") + "profiles:\n");
    for (String[] p :
        new String[][] {{"commercial", "aws"}, {"gov", "aws-us-gov"}, {"china", "aws-cn"}}) {
      policy
          .append("  ")
          .append(p[0])
          .append(":\n")
          .append("    aws: {role_arn: \"arn:")
          .append(p[1])
          .append(":iam::111122223333:role/r\", mode: assume_role}\n")
          .append("    max_duration: 1h\n    requesters: 'true'\n")
          .append("    approval: {count: 1, approvers: 'true', auto_approve: 'true'}\n");
    }
    return TestServer.start(
        db,
        Map.of(
            "STINT_AWS_STS_ENDPOINT",
            sts.uri().toString(),
            "STINT_AWS_SIGNIN_ENDPOINT",
            signin.uri().toString(),
            "STINT_AWS_REGION",
            "eu-west-1"),
        policy.toString());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    idp.close();
    sts.close();
    signin.close();
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  private static JsonNode post(String user, String body, int status) throws Exception {
    return post(server, user, body, status);
  }

  private static JsonNode post(TestServer server, String user, String body, int status)
      throws Exception {
    HttpResponse<String> r =
        server.send(
            HttpRequest.newBuilder(server.uri("/v1/console"))
                .header("Authorization", "Bearer " + idp.token(user, "eng"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    return JSON.readTree(r.body());
  }

  private static String destinationOf(String url) {
    String encoded = url.replaceAll(".*[?&]Destination=([^&]*).*", "$1");
    return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @CsvSource({
    "commercial, eu-west-1, https://console.aws.amazon.com/s3/home?region=eu-west-1",
    "gov, us-gov-west-1, https://console.amazonaws-us-gov.com/s3/home?region=us-gov-west-1",
    "china, cn-north-1, https://console.amazonaws.cn/s3/home?region=cn-north-1"
  })
  void theLinkLandsOnTheConsoleOfTheRolesPartition(String profile, String region, String landing)
      throws Exception {
    // stint's own identity is of one partition, and reaches (and revokes) roles of that one only:
    // each partition's case runs on a server whose identity is there, as a deployment's would be.
    String partition =
        Map.of("commercial", "aws", "gov", "aws-us-gov", "china", "aws-cn").get(profile);
    sts.homeUser("arn:" + partition + ":iam::111122223333:user/stint");
    try (TestServer own = start(db)) {
      JsonNode link =
          post(
              own,
              "pat-" + profile,
              "{\"profile\":\""
                  + profile
                  + "\",\"destination\":\"/s3/home\",\"region\":\""
                  + region
                  + "\"}",
              200);
      assertThat(destinationOf(link.path("url").asText())).isEqualTo(landing);
    } finally {
      sts.homeUser("arn:aws:iam::111122223333:user/stint");
    }
  }

  @Test
  void aPageOnAnotherPartitionsConsoleIsRefusedBeforeAnythingIsMinted() throws Exception {
    int minted = sts.issued().size();

    JsonNode refused =
        post(
            "gil",
            "{\"profile\":\"gov\"," + "\"destination\":\"https://console.aws.amazon.com/s3/home\"}",
            400);
    JsonNode wrongRegion = post("gil", "{\"profile\":\"china\",\"region\":\"eu-west-1\"}", 400);

    assertThat(refused.path("detail").asText())
        .isEqualTo("destination must be a path or an https URL on console.amazonaws-us-gov.com");
    assertThat(wrongRegion.path("detail").asText())
        .isEqualTo("region must be an AWS region of the aws-cn partition");
    assertThat(sts.issued()).hasSize(minted);
    assertThat(AuditTables.count(db, "type = 'credential.denied' AND actor_subject = 'gil'"))
        .isEqualTo(2);
  }
}
