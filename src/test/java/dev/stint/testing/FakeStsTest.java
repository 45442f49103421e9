package dev.stint.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.stint.standin.OidcProvider;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the fake STS refuses, over HTTP, as STS does: one case per refusal, each a request the fake
 * answered with credentials before it took its rules from {@code dev.stint.standin}, now refused
 * with STS's status, code and words.
 */
class FakeStsTest {
  static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final String ROLE = "arn:aws:iam::111122223333:role/prod-admin";
  static final String DATE = "20261123T120000Z";
  static final String SIGNATURE = "0123456789abcdef".repeat(4);
  static final String AUTHORIZATION =
      "AWS4-HMAC-SHA256 Credential=AKIASTINTTESTKEY0001/20261123/eu-west-1/sts/aws4_request,"
          + " SignedHeaders=content-type;host;x-amz-date, Signature="
          + SIGNATURE;
  static final String POLICY =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"*\","
          + "\"Resource\":\"*\",\"Condition\":{\"DateGreaterThan\":"
          + "{\"aws:CurrentTime\":\"2026-11-23T13:00:00Z\"}}}]}";

  static final TestJwtSigner STINT = new TestJwtSigner(CLOCK);

  /** A second provider of the account, whose tokens the cases sign themselves. */
  static final String OWN_ISSUER = "https://idp.example";

  static final RSAKey OWN = key();
  static final FakeSts STS =
      new FakeSts(CLOCK)
          .trust(STINT.awsProvider())
          .trust(
              new OidcProvider(
                  OWN_ISSUER, Set.of("sts.amazonaws.com"), new JWKSet(OWN.toPublicJWK())));
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @AfterAll
  static void stop() {
    STS.close();
  }

  /** A request: its form and headers, each case changing the valid one it starts from. */
  record Request(Map<String, String> form, Map<String, String> headers) {
    Request with(String name, String value) {
      Map<String, String> f = new LinkedHashMap<>(form);
      if (value == null) {
        f.remove(name);
      } else {
        f.put(name, value);
      }
      return new Request(f, headers);
    }

    Request header(String name, String value) {
      Map<String, String> h = new LinkedHashMap<>(headers);
      if (value == null) {
        h.remove(name);
      } else {
        h.put(name, value);
      }
      return new Request(form, h);
    }
  }

  static Request assumeRole() {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("Action", "AssumeRole");
    form.put("Version", "2011-06-15");
    form.put("RoleArn", ROLE);
    form.put("RoleSessionName", "jane.doe@example.com");
    form.put("SourceIdentity", "0123456789abcdef.grt_7f3a");
    form.put("DurationSeconds", "3600");
    form.put("Policy", POLICY);
    form.put("Tags.member.1.Key", "stint:grant");
    form.put("Tags.member.1.Value", "grt_7f3a");
    return new Request(form, Map.of("Authorization", AUTHORIZATION, "X-Amz-Date", DATE));
  }

  static Request webIdentity(String token) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("Action", "AssumeRoleWithWebIdentity");
    form.put("Version", "2011-06-15");
    form.put("RoleArn", ROLE);
    form.put("RoleSessionName", "jane.doe@example.com");
    form.put("DurationSeconds", "3600");
    form.put("Policy", POLICY);
    form.put("WebIdentityToken", token);
    return new Request(form, Map.of());
  }

  static String stintToken(Map<String, Object> claims) {
    return STINT.token("sts.amazonaws.com", "profile:aws-prod-admin", claims);
  }

  static HttpResponse<String> send(Request request) throws Exception {
    StringJoiner body = new StringJoiner("&");
    request
        .form()
        .forEach(
            (k, v) ->
                body.add(
                    URLEncoder.encode(k, StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(v, StandardCharsets.UTF_8)));
    HttpRequest.Builder r =
        HttpRequest.newBuilder(STS.uri())
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    request.headers().forEach(r::header);
    return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theValidRequestsTheCasesStartFromAreAnswered() throws Exception {
    assertThat(send(assumeRole()).statusCode()).isEqualTo(200);
    HttpResponse<String> web = send(webIdentity(stintToken(Map.of())));
    assertThat(web.statusCode()).as(web.body()).isEqualTo(200);
    assertThat(web.body()).contains("<AssumeRoleWithWebIdentityResult>");
    HttpResponse<String> own =
        send(webIdentity(signed(claims(OWN_ISSUER, NOW.plusSeconds(1)), OWN)));
    assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
  }

  static Stream<Arguments> refusals() {
    return Stream.of(
        // The operation.
        refused("no Action", assumeRole().with("Action", null), "400 MissingAction", ""),
        refused(
            "no Version",
            assumeRole().with("Version", null),
            "400 InvalidAction",
            "Could not find operation AssumeRole for version NO_VERSION_SPECIFIED"),
        refused(
            "another Version",
            assumeRole().with("Version", "2011-06-14"),
            "400 InvalidAction",
            "for version 2011-06-14"),
        refused(
            "an operation the stand-in does not have",
            assumeRole().with("Action", "GetFederationToken"),
            "400 InvalidAction",
            "Could not find operation GetFederationToken"),
        // Signing: AssumeRole is signed.
        refused(
            "unsigned",
            assumeRole().header("Authorization", null),
            "403 MissingAuthenticationToken",
            "Request is missing Authentication Token"),
        refused(
            "not SigV4",
            assumeRole().header("Authorization", "Bearer abc"),
            "403 MissingAuthenticationToken",
            ""),
        refused(
            "no signature",
            assumeRole().header("Authorization", AUTHORIZATION.replaceAll(", Signature=.*", "")),
            "400 IncompleteSignature",
            "Authorization header requires 'Signature' parameter."),
        refused(
            "no request date",
            assumeRole().header("X-Amz-Date", null),
            "400 IncompleteSignature",
            "requires existence of either a 'X-Amz-Date' or a 'Date' header"),
        refused(
            "a four-part credential",
            assumeRole().header("Authorization", AUTHORIZATION.replace("/eu-west-1", "")),
            "400 IncompleteSignature",
            "Credential must have exactly 5 slash-delimited elements"),
        refused(
            "scoped to IAM",
            assumeRole().header("Authorization", AUTHORIZATION.replace("/sts/", "/iam/")),
            "403 SignatureDoesNotMatch",
            "Credential should be scoped to correct service: 'sts'."),
        refused(
            "scoped to aws-global",
            assumeRole().header("Authorization", AUTHORIZATION.replace("eu-west-1", "aws-global")),
            "403 SignatureDoesNotMatch",
            "Credential should be scoped to a valid region, not 'aws-global'."),
        refused(
            "scoped to another day",
            assumeRole().header("X-Amz-Date", "20261124T000000Z"),
            "403 SignatureDoesNotMatch",
            "Date in Credential scope does not match"),
        refused(
            "a signature that is not one",
            assumeRole().header("Authorization", AUTHORIZATION.replace(SIGNATURE, "abc")),
            "403 SignatureDoesNotMatch",
            "The request signature we calculated does not match"),
        // Parameters.
        refused(
            "no RoleArn",
            assumeRole().with("RoleArn", null),
            "400 ValidationError",
            "1 validation error detected: Value null at 'roleArn' failed to satisfy constraint:"
                + " Member must not be null"),
        refused(
            "a short RoleArn",
            assumeRole().with("RoleArn", "not-an-arn"),
            "400 ValidationError",
            "Member must have length greater than or equal to 20"),
        refused(
            "a RoleArn that is no role's",
            assumeRole().with("RoleArn", "x".repeat(20)),
            "400 ValidationError",
            "xxxxxxxxxxxxxxxxxxxx is invalid"),
        refused(
            "no RoleSessionName",
            assumeRole().with("RoleSessionName", null),
            "400 ValidationError",
            "Value null at 'roleSessionName'"),
        refused(
            "a one-character session name",
            assumeRole().with("RoleSessionName", "a"),
            "400 ValidationError",
            "Member must have length greater than or equal to 2"),
        refused(
            "a 65-character session name",
            assumeRole().with("RoleSessionName", "a".repeat(65)),
            "400 ValidationError",
            "Member must have length less than or equal to 64"),
        refused(
            "a session name with a space",
            assumeRole().with("RoleSessionName", "jane doe"),
            "400 ValidationError",
            "Member must satisfy regular expression pattern: [\\w+=,.@-]*"),
        refused(
            "no session name and no role: both counted",
            assumeRole().with("RoleArn", null).with("RoleSessionName", null),
            "400 ValidationError",
            "2 validation errors detected"),
        refused(
            "899 seconds",
            assumeRole().with("DurationSeconds", "899"),
            "400 ValidationError",
            "Member must have value greater than or equal to 900"),
        refused(
            "43201 seconds",
            assumeRole().with("DurationSeconds", "43201"),
            "400 ValidationError",
            "Member must have value less than or equal to 43200"),
        refused(
            "a duration that is not a number",
            assumeRole().with("DurationSeconds", "1h"),
            "400 MalformedInput",
            ""),
        refused(
            "a source identity with a space",
            assumeRole().with("SourceIdentity", "jane doe"),
            "400 ValidationError",
            "at 'sourceIdentity'"),
        refused(
            "a source identity starting aws:",
            assumeRole().with("SourceIdentity", "aws:jane"),
            "400 ValidationError",
            "at 'sourceIdentity'"),
        refused(
            "a tag value of 257 characters",
            assumeRole().with("Tags.member.1.Value", "v".repeat(257)),
            "400 ValidationError",
            "at 'tags.1.member.value'"),
        refused(
            "a tag key starting aws:",
            assumeRole().with("Tags.member.1.Key", "aws:grant"),
            "400 ValidationError",
            "at 'tags.1.member.key'"),
        refused(
            "a tag key twice, in another case",
            assumeRole().with("Tags.member.2.Key", "STINT:GRANT").with("Tags.member.2.Value", "x"),
            "400 ValidationError",
            "Duplicate tag keys found"),
        // The session policy.
        refused(
            "an empty policy",
            assumeRole().with("Policy", ""),
            "400 ValidationError",
            "at 'policy' failed to satisfy constraint: Member must have length greater than or"
                + " equal to 1"),
        refused(
            "a policy of 2049 characters",
            assumeRole()
                .with(
                    "Policy",
                    POLICY.replace("\"Deny\"", "\"Deny\"" + " ".repeat(2049 - POLICY.length()))),
            "400 ValidationError",
            "Member must have length less than or equal to 2048"),
        refused(
            "a policy with a character above U+00FF",
            assumeRole().with("Policy", POLICY.replace("aws:CurrentTime", "aws:CurrentTime€")),
            "400 ValidationError",
            "Member must satisfy regular expression pattern"),
        refused(
            "a policy that is not JSON",
            assumeRole().with("Policy", "{\"Version\":\"2012-10-17\",\"Statement\":["),
            "400 MalformedPolicyDocument",
            "This policy contains invalid Json"),
        refused(
            "a policy that is not a policy",
            assumeRole().with("Policy", "{\"Version\":\"2012-10-17\",\"Statement\":[]}"),
            "400 MalformedPolicyDocument",
            "Syntax errors in policy."),
        refused(
            "Effect Dney",
            assumeRole().with("Policy", POLICY.replace("Deny", "Dney")),
            "400 MalformedPolicyDocument",
            "The policy failed legacy parsing"),
        refused(
            "a principal in a session policy",
            assumeRole()
                .with("Policy", POLICY.replace("\"Action\"", "\"Principal\":\"*\",\"Action\"")),
            "400 MalformedPolicyDocument",
            "Policy document should not specify a principal."),
        refused(
            "a policy and managed ARNs over 2048 plain characters together",
            assumeRole()
                .with(
                    "Policy",
                    POLICY.replace("\"Deny\"", "\"Deny\"" + " ".repeat(2000 - POLICY.length())))
                .with("PolicyArns.member.1.arn", "arn:aws:iam::aws:policy/ReadOnlyAccess")
                .with("PolicyArns.member.2.arn", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"),
            "400 PackedPolicyTooLarge",
            "Packed policy consumes 102% of allotted space"),
        // Web identity: unsigned, but its token must verify.
        refused(
            "no token",
            webIdentity("x").with("WebIdentityToken", null),
            "400 ValidationError",
            "Value null at 'webIdentityToken'"),
        refused(
            "a token that is not a JWT",
            webIdentity("not-a-jwt"),
            "400 InvalidIdentityToken",
            "could not be validated by AWS"),
        refused(
            "an unsigned token (alg none)",
            webIdentity(
                new PlainJWT(claims(TestJwtSigner.ISSUER, NOW.plusSeconds(300))).serialize()),
            "400 InvalidIdentityToken",
            "could not be validated by AWS"),
        refused(
            "a token signed with a key the provider does not hold",
            webIdentity(new TestJwtSigner(CLOCK).token("sts.amazonaws.com", "profile:p", Map.of())),
            "400 InvalidIdentityToken",
            "Couldn't retrieve verification key from your identity provider"),
        refused(
            "a token signed with another key under the provider's kid",
            webIdentity(forged()),
            "400 InvalidIdentityToken",
            "could not be validated by AWS"),
        refused(
            "a token for another audience",
            webIdentity(STINT.token("api://stint", "profile:p", Map.of())),
            "400 InvalidIdentityToken",
            "Incorrect token audience"),
        refused(
            "a token of an issuer the account has no provider for",
            webIdentity(signed(claims("https://other.example", NOW.plusSeconds(300)), OWN)),
            "400 InvalidIdentityToken",
            "No OpenIDConnect provider found in your account for https://other.example"),
        refused(
            "an expired token",
            webIdentity(signed(claims(OWN_ISSUER, NOW.minusSeconds(1)), OWN)),
            "400 ExpiredTokenException",
            "Token expired: current date/time " + NOW.getEpochSecond()),
        refused(
            "a token whose source identity has a space",
            webIdentity(stintToken(Map.of("https://aws.amazon.com/source_identity", "jane doe"))),
            "400 ValidationError",
            "at 'sourceIdentity'"),
        refused(
            "a token whose tag value has a <",
            webIdentity(
                stintToken(
                    Map.of(
                        "https://aws.amazon.com/tags",
                        Map.of("principal_tags", Map.of("k", List.of("a<b")))))),
            "400 ValidationError",
            "at 'tags.1.member.value'"),
        refused(
            "a web identity policy that is not a policy",
            webIdentity(stintToken(Map.of())).with("Policy", "[]"),
            "400 MalformedPolicyDocument",
            "Syntax errors in policy."));
  }

  static Arguments refused(String name, Request request, String statusAndCode, String message) {
    return Arguments.of(name, request, statusAndCode, message);
  }

  @ParameterizedTest(name = "{0}: {2}")
  @MethodSource("refusals")
  void refusesWhatStsRefuses(String name, Request request, String statusAndCode, String message)
      throws Exception {
    int issued = STS.issued().size();

    HttpResponse<String> r = send(request);

    String[] expected = statusAndCode.split(" ");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(Integer.parseInt(expected[0]));
    assertThat(r.body())
        .startsWith("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">")
        .contains("<Type>Sender</Type><Code>" + expected[1] + "</Code>")
        .contains(message.replace("<", "&lt;").replace("'", "&apos;").replace("\"", "&quot;"));
    assertThat(STS.issued()).hasSize(issued);
  }

  @Test
  void aDurationOverTheRolesMaximumIsRefusedOnlyForThatRole() throws Exception {
    String limited = "arn:aws:iam::111122223333:role/one-hour";
    STS.maxSessionDuration(limited, Duration.ofHours(1));

    HttpResponse<String> r =
        send(assumeRole().with("RoleArn", limited).with("DurationSeconds", "3601"));

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body())
        .contains(
            "<Code>ValidationError</Code><Message>The requested DurationSeconds exceeds the"
                + " MaxSessionDuration set for this role.</Message>");
    assertThat(send(assumeRole().with("RoleArn", limited)).statusCode()).isEqualTo(200);
    assertThat(send(assumeRole().with("DurationSeconds", "43200")).statusCode()).isEqualTo(200);
  }

  private static JWTClaimsSet claims(String issuer, Instant expires) {
    return new JWTClaimsSet.Builder()
        .issuer(issuer)
        .audience("sts.amazonaws.com")
        .subject("profile:p")
        .issueTime(Date.from(NOW))
        .expirationTime(Date.from(expires))
        .jwtID(UUID.randomUUID().toString())
        .build();
  }

  private static RSAKey key() {
    return RsaKeys.jwk("k-" + UUID.randomUUID());
  }

  /** Signed with a new key that names the kid of the key the provider holds. */
  private static String forged() {
    return signed(claims(OWN_ISSUER, NOW.plusSeconds(300)), RsaKeys.jwk(OWN.getKeyID()));
  }

  private static String signed(JWTClaimsSet claims, RSAKey key) {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
    try {
      jwt.sign(new RSASSASigner(key));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }
}
