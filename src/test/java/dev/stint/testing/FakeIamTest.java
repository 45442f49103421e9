package dev.stint.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.standin.IamRules;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the fake IAM refuses of a {@code PutRolePolicy}, over HTTP, as IAM does: one case per
 * refusal, each a put the fake stored before it took its rules from {@code dev.stint.standin} (the
 * size limit and the Sid rule it already had are here too).
 */
class FakeIamTest {
  static final String DATE = "20261123T120000Z";
  static final String AUTHORIZATION =
      "AWS4-HMAC-SHA256 Credential=AKIASTINTTESTKEY0001/20261123/us-east-1/iam/aws4_request,"
          + " SignedHeaders=content-type;host;x-amz-date, Signature="
          + "0123456789abcdef".repeat(4);
  static final String DENY =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"StintGrantTags\",\"Effect\":\"Deny\","
          + "\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":"
          + "{\"aws:PrincipalTag/stint:grant\":[\"grt_1\",\"grt_2\"]}}}]}";

  static final FakeIam IAM = new FakeIam().createRole("prod-admin");
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @AfterAll
  static void stop() {
    IAM.close();
  }

  static Map<String, String> put(String document) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("Action", "PutRolePolicy");
    form.put("Version", "2010-05-08");
    form.put("RoleName", "prod-admin");
    form.put("PolicyName", "stint-revocations");
    if (document != null) {
      form.put("PolicyDocument", document);
    }
    return form;
  }

  static HttpResponse<String> send(Map<String, String> form, String authorization)
      throws Exception {
    StringJoiner body = new StringJoiner("&");
    form.forEach(
        (k, v) ->
            body.add(
                URLEncoder.encode(k, StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(v, StandardCharsets.UTF_8)));
    HttpRequest.Builder r =
        HttpRequest.newBuilder(IAM.uri())
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
            .header("X-Amz-Date", DATE)
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    if (authorization != null) {
      r.header("Authorization", authorization);
    }
    return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aDenyAsStintWritesItIsStored() throws Exception {
    HttpResponse<String> r = send(put(DENY), AUTHORIZATION);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(IAM.policy("prod-admin", "stint-revocations")).contains(DENY);
  }

  static final String TWICE =
      DENY.replace(
          "}}}]}",
          "}}},{\"Sid\":\"StintGrantTags\",\"Effect\":\"Deny\",\"Action\":\"*\","
              + "\"Resource\":\"*\"}]}");

  static Stream<Arguments> refusals() {
    String a = AUTHORIZATION;
    return Stream.of(
        refused("unsigned", put(DENY), null, "403 MissingAuthenticationToken", "missing"),
        refused(
            "signed for eu-west-1 (IAM signs in its partition's home region)",
            put(DENY),
            a.replace("us-east-1", "eu-west-1"),
            "403 SignatureDoesNotMatch",
            "scoped to a valid region, not &apos;eu-west-1&apos;"),
        refused(
            "signed for STS",
            put(DENY),
            a.replace("/iam/", "/sts/"),
            "403 SignatureDoesNotMatch",
            "scoped to correct service: &apos;iam&apos;"),
        refused(
            "no Version",
            without(put(DENY), "Version"),
            a,
            "400 InvalidAction",
            "PutRolePolicy for version NO_VERSION_SPECIFIED"),
        refused("no document", put(null), a, "400 ValidationError", "&apos;policyDocument&apos;"),
        refused(
            "no role name", without(put(DENY), "RoleName"), a, "400 ValidationError", "roleName"),
        refused(
            "a policy name with a space",
            with(put(DENY), "PolicyName", "stint revocations"),
            a,
            "400 ValidationError",
            "policyName"),
        malformed("not JSON", "{\"Version\":", "This policy contains invalid Json"),
        malformed("Effect Dney", DENY.replace("Deny", "Dney"), "The policy failed legacy parsing"),
        malformed(
            "an effect in lower case",
            DENY.replace("Deny", "deny"),
            "The policy failed legacy parsing"),
        malformed(
            "no Effect", DENY.replace("\"Effect\":\"Deny\",", ""), "Missing required field Effect"),
        malformed(
            "an unknown Version",
            DENY.replace("2012-10-17", "2012-10-18"),
            "The policy failed legacy parsing"),
        malformed("no Statement", "{\"Version\":\"2012-10-17\"}", "Syntax errors in policy."),
        malformed(
            "an unknown element",
            DENY.replace("\"Version\"", "\"Statment\":[],\"Version\""),
            "Syntax errors in policy."),
        malformed(
            "no Action",
            DENY.replace("\"Action\":\"*\",", ""),
            "Policy statement must contain actions."),
        malformed(
            "no Resource",
            DENY.replace("\"Resource\":\"*\",", ""),
            "Policy statement must contain resources."),
        malformed(
            "an action without a vendor",
            DENY.replace("\"Action\":\"*\"", "\"Action\":\"GetObject\""),
            "Actions/Conditions must be prefaced by a vendor"),
        malformed(
            "a resource that is not an ARN",
            DENY.replace("\"Resource\":\"*\"", "\"Resource\":\"prod-admin\""),
            "Resource prod-admin must be in ARN format or &quot;*&quot;."),
        malformed(
            "a Principal",
            DENY.replace("\"Action\"", "\"Principal\":\"*\",\"Action\""),
            "Policy document should not specify a principal."),
        malformed(
            "a Sid with a dash",
            DENY.replace("StintGrantTags", "stint-grant-tags"),
            "Statement IDs (SID) must be alpha-numeric"),
        malformed("a Sid twice", TWICE, "Statement IDs (SID) in a single policy must be unique."),
        malformed(
            "a condition value that is an object",
            DENY.replace("[\"grt_1\",\"grt_2\"]", "{\"a\":\"b\"}"),
            "Syntax errors in policy."),
        refused(
            "10,241 characters, whitespace not counted",
            put(DENY.replace("grt_1", "g".repeat(10_241 - DENY.length() + 5)) + " ".repeat(100)),
            a,
            "409 LimitExceeded",
            "Maximum policy size of 10240 bytes exceeded for role prod-admin"));
  }

  static Arguments malformed(String name, String document, String message) {
    return refused(name, put(document), AUTHORIZATION, "400 MalformedPolicyDocument", message);
  }

  static Arguments refused(
      String name,
      Map<String, String> form,
      String authorization,
      String statusAndCode,
      String message) {
    return Arguments.of(name, form, authorization, statusAndCode, message);
  }

  static Map<String, String> without(Map<String, String> form, String name) {
    Map<String, String> out = new LinkedHashMap<>(form);
    out.remove(name);
    return out;
  }

  static Map<String, String> with(Map<String, String> form, String name, String value) {
    Map<String, String> out = new LinkedHashMap<>(form);
    out.put(name, value);
    return out;
  }

  @ParameterizedTest(name = "{0}: {3}")
  @MethodSource("refusals")
  void refusesWhatIamRefuses(
      String name,
      Map<String, String> form,
      String authorization,
      String statusAndCode,
      String message)
      throws Exception {
    IAM.putPolicy("prod-admin", "stint-revocations", "{}");

    HttpResponse<String> r = send(form, authorization);

    String[] expected = statusAndCode.split(" ");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(Integer.parseInt(expected[0]));
    assertThat(r.body())
        .startsWith("<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">")
        .contains("<Type>Sender</Type><Code>" + expected[1] + "</Code>")
        .contains(message);
    assertThat(IAM.policy("prod-admin", "stint-revocations")).contains("{}");
  }

  @Test
  void theSizeLimitIsForTheRolesInlinePoliciesTogether() throws Exception {
    FakeIam iam = IAM;
    iam.putPolicy("prod-admin", "stint-revocations", "{}");
    iam.putPolicy("prod-admin", "someone-elses", "x".repeat(6_000));
    String fits = DENY.replace("grt_1", "g".repeat(10_240 - 6_000 - DENY.length() + 5));
    assertThat(IamRules.size(fits) + 6_000).isEqualTo(10_240);

    assertThat(send(put(fits), AUTHORIZATION).statusCode()).isEqualTo(200);
    HttpResponse<String> over = send(put(fits.replace("grt_2", "grt_22")), AUTHORIZATION);
    assertThat(over.statusCode()).isEqualTo(409);
    assertThat(over.body())
        .contains("Maximum policy size of 10240 bytes exceeded for role prod-admin");
    iam.putPolicy("prod-admin", "someone-elses", "{}");
  }
}
