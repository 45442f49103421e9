package dev.stint.standin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.demo.IamStandIn;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The IAM stand-in answers a bad request as IAM does, with its query-protocol {@code ErrorResponse}
 * (type, code, message) and status, and never with a 500: one case per way a request can be bad,
 * from a body that is not a form to a policy that is not a policy.
 */
class IamStandInRefusalsTest {
  private static final String SIGNED =
      "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLEKEY000001/20261123/us-east-1/iam/aws4_request,"
          + " SignedHeaders=content-type;host;x-amz-date, Signature="
          + "0123456789abcdef".repeat(4);
  private static final String PUT = "Action=PutRolePolicy&Version=2010-05-08&RoleName=r";

  private static IamStandIn iam;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    iam = new IamStandIn().createRole("r");
  }

  @AfterAll
  static void stop() {
    iam.close();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "a body that is not a form  | Action=GetRolePolicy&Version=2010-05-08&RoleName=%zz"
            + "                         | 404 | MalformedQueryString",
        "a truncated escape         | Action=GetRolePolicy&Version=2010-05-08&RoleName=r%4"
            + "                         | 404 | MalformedQueryString",
        "no Action                  | Version=2010-05-08&RoleName=r&PolicyName=p"
            + "                         | 400 | MissingAction",
        "an unknown Action          | Action=DeleteRole&Version=2010-05-08&RoleName=r"
            + "                         | 400 | InvalidAction",
        "another API version        | Action=GetRolePolicy&Version=2011-06-15&RoleName=r"
            + "                         | 400 | InvalidAction",
        "no PolicyName              | Action=GetRolePolicy&Version=2010-05-08&RoleName=r"
            + "                         | 400 | ValidationError",
        "no PolicyDocument          | "
            + PUT
            + "&PolicyName=p"
            + "                         | 400 | ValidationError",
        "a name IAM does not allow  | "
            + PUT
            + "&PolicyName=p%20q&PolicyDocument=%7B%7D"
            + "                         | 400 | ValidationError",
        "a document that is no JSON | "
            + PUT
            + "&PolicyName=p&PolicyDocument=%7B%22Version"
            + "                         | 400 | MalformedPolicyDocument",
        "a JSON array for a policy  | "
            + PUT
            + "&PolicyName=p&PolicyDocument=%5B1%5D"
            + "                         | 400 | MalformedPolicyDocument",
        "a statement of wrong type  | "
            + PUT
            + "&PolicyName=p&PolicyDocument="
            + "%7B%22Statement%22%3A%22x%22%7D | 400 | MalformedPolicyDocument",
        "a statement without Effect | "
            + PUT
            + "&PolicyName=p&PolicyDocument="
            + "%7B%22Statement%22%3A%5B%7B%22Action%22%3A1%7D%5D%7D"
            + "                         | 400 | MalformedPolicyDocument",
        "an unknown role            | Action=GetRolePolicy&Version=2010-05-08&RoleName=nobody"
            + "&PolicyName=p            | 404 | NoSuchEntity",
      })
  void aBadRequestIsRefusedInIamsWords(String why, String form, int status, String code)
      throws Exception {
    HttpResponse<String> r = post(form.strip());

    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.body())
        .startsWith(
            "<ErrorResponse xmlns=\"" + IamRules.NAMESPACE + "\"><Error><Type>Sender</Type>")
        .contains("<Code>" + code + "</Code>", "<Message>", "<RequestId>");
  }

  private HttpResponse<String> post(String form) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(iam.uri() + "/"))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("X-Amz-Date", "20261123T120000Z")
            .header("Authorization", SIGNED)
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
