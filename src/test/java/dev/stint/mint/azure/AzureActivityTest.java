package dev.stint.mint.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.stint.mint.ActivityLookup;
import dev.stint.mint.ActivityLookup.Call;
import dev.stint.mint.ActivityLookup.Page;
import dev.stint.mint.ActivityLookup.Query;
import dev.stint.standin.ActivityLogEvent;
import dev.stint.standin.ActivityLogStandIn;
import dev.stint.testing.FakeEntra;
import dev.stint.testing.FakeHttpsEndpoint;
import dev.stint.testing.Patience;
import dev.stint.testing.RsaKeys;
import dev.stint.testing.ShiftedClock;
import dev.stint.testing.TestJwtSigner;
import dev.stint.testing.TestTls;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link AzureActivity} with the real azure-identity reader credential against the HTTPS Entra
 * fake, and real HTTP against the Activity Log stand-in: only the operations of the token whose uti
 * is asked for, once each; paging by nextLink; 429 waited out; the reader's token required.
 */
class AzureActivityTest {
  static final String TENANT = "11111111-2222-3333-4444-555555555555";
  static final String READER = "bbbbbbbb-cccc-dddd-eeee-ffffffffffff";
  static final String SUB = "00000000-1111-2222-3333-444444444444";
  static final String OTHER_SUB = "99999999-1111-2222-3333-444444444444";
  static final String OTHER_TENANT = "66666666-2222-3333-4444-555555555555";
  static final String UTI = "aBcDeFgHiJkLmNoPqRsTuV";
  static final String VM =
      "/subscriptions/"
          + SUB
          + "/resourceGroups/prod/providers/Microsoft.Compute/virtualMachines/vm1";
  static TestTls tls;

  ShiftedClock clock;
  FakeEntra entra;
  ActivityLogStandIn log;
  AzureActivity activity;
  final TestJwtSigner signer = new TestJwtSigner(Clock.systemUTC());

  @BeforeAll
  static void certificate() {
    tls = TestTls.create();
  }

  @BeforeEach
  void start() {
    clock = new ShiftedClock();
    entra = new FakeEntra(tls);
    log = new ActivityLogStandIn(clock, TENANT, entra.publicKeys()).allow(SUB, READER);
    activity = activity(List.of(SUB));
  }

  @AfterEach
  void stop() {
    activity.close();
    log.close();
    entra.close();
  }

  AzureActivity activity(List<String> subscriptions) {
    return new AzureActivity(
        new AzureActivitySettings(TENANT, READER, subscriptions, log.uri()),
        new AzureSettings(entra.uri(), Duration.ofSeconds(10), 0, Optional.of(tls.clientContext())),
        signer,
        Clock.systemUTC());
  }

  ActivityLogEvent.Builder operation(String uti, String name, Duration ago) {
    return ActivityLogEvent.builder(SUB, VM, name)
        .time(clock.instant().minus(ago))
        .token(
            uti,
            "66666666-7777-8888-9999-000000000000",
            TENANT,
            "0000aaaa-0000-0000-0000-000000000001");
  }

  /** Both events of an operation: Started and its outcome. */
  void record(ActivityLogEvent.Builder op) {
    log.record(op.started());
    log.record(op.build());
  }

  /** What the ledger records an Entra token as minted on: the app and the resource. */
  static final String TARGET =
      "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee https://management.azure.com/.default";

  Query query(String uti, String place) {
    return new Query(
        uti,
        TARGET,
        place,
        clock.instant().minus(Duration.ofHours(1)),
        clock.instant(),
        Optional.empty());
  }

  Page lookup(Query q) throws Exception {
    return activity.lookup(q).get(Patience.seconds(30), TimeUnit.MILLISECONDS);
  }

  List<Call> all(Query q) throws Exception {
    List<Call> out = new ArrayList<>();
    Page page = lookup(q);
    out.addAll(page.calls());
    while (page.nextToken().isPresent()) {
      page =
          lookup(
              new Query(
                  q.accessKeyId(), q.target(), q.place(), q.from(), q.to(), page.nextToken()));
      out.addAll(page.calls());
    }
    return out;
  }

  @Test
  void onlyTheTokensOperationsAreKeptOnceEachWithTheirOutcome() throws Exception {
    record(
        operation(UTI, "Microsoft.Compute/virtualMachines/write", Duration.ofMinutes(20))
            .status("Succeeded", "Created")
            .clientIp("203.0.113.9"));
    record(
        operation(UTI, "Microsoft.Compute/virtualMachines/delete", Duration.ofMinutes(10))
            .status("Failed", "Forbidden"));
    record(
        operation(
            "someOtherTokensUti00000",
            "Microsoft.Compute/virtualMachines/write",
            Duration.ofMinutes(5)));

    List<Call> calls = all(query(UTI, SUB));

    assertThat(calls).hasSize(2);
    Call newest = calls.get(0);
    assertThat(newest.name()).isEqualTo("Microsoft.Compute/virtualMachines/delete");
    assertThat(newest.source()).isEqualTo("Microsoft.Compute");
    assertThat(newest.region()).isEqualTo(SUB);
    assertThat(newest.errorCode()).contains("Forbidden");
    assertThat(newest.accessKeyId()).isEmpty();
    Call oldest = calls.get(1);
    assertThat(oldest.errorCode()).isEmpty();
    assertThat(oldest.sourceIp()).contains("203.0.113.9");
    assertThat(oldest.time())
        .isBetween(
            clock.instant().minus(Duration.ofMinutes(21)),
            clock.instant().minus(Duration.ofMinutes(19)));
    assertThat(oldest.id()).isNotBlank().isNotEqualTo(newest.id());
    assertThat(all(query(UTI, SUB))).extracting(Call::id).containsExactly(newest.id(), oldest.id());
  }

  @Test
  void theReaderPresentsItsOwnTokenFromAnAssertionForStintActivityAndReusesIt() throws Exception {
    lookup(query(UTI, SUB));
    lookup(query(UTI, SUB));

    FakeHttpsEndpoint.Call token = entra.onlyTokenCall();
    assertThat(FakeEntra.tenant(token)).isEqualTo(TENANT);
    assertThat(token.form("client_id")).isEqualTo(READER);
    assertThat(token.form("scope")).contains(log.uri() + "/.default");
    JWTClaimsSet assertion =
        TestJwtSigner.verify(token.form("client_assertion"), signer.publicJwks());
    assertThat(assertion.getSubject()).isEqualTo("stint:activity");
    assertThat(assertion.getAudience()).containsExactly("api://AzureADTokenExchange");
    assertThat(log.filters())
        .allMatch(f -> f.matches("eventTimestamp ge '[^']+' and eventTimestamp le '[^']+'"));
  }

  @Test
  void pagesAreFollowedByNextLinkAndTheirCallsAllFound() throws Exception {
    log.pageSize(2);
    for (int i = 1; i <= 3; i++) {
      record(operation(UTI, "Microsoft.Storage/storageAccounts/write", Duration.ofMinutes(i)));
    }
    record(
        operation("anotherUti", "Microsoft.Storage/storageAccounts/write", Duration.ofSeconds(30)));

    Page first = lookup(query(UTI, SUB));
    assertThat(first.nextToken()).isPresent();
    assertThat(all(query(UTI, SUB))).hasSize(3);
  }

  @Test
  void aThrottledCallIsWaitedOutAsRetryAfterSaysAndNotDropped() throws Exception {
    record(operation(UTI, "Microsoft.Network/networkSecurityGroups/write", Duration.ofMinutes(3)));
    log.throttle(1, Duration.ofSeconds(1));
    long before = System.nanoTime();

    assertThat(lookup(query(UTI, SUB)).calls()).hasSize(1);
    assertThat(Duration.ofNanos(System.nanoTime() - before))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void throttledBeyondItsTriesOrForTooLongTheLookupFails() {
    log.throttle(AzureActivity.THROTTLED_TRIES + 1, Duration.ofMillis(0));
    assertThatThrownBy(() -> lookup(query(UTI, SUB)))
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("HTTP 429 TooManyRequests");
    log.throttle(1, AzureActivity.LONGEST_WAIT.plusSeconds(1));
    assertThatThrownBy(() -> lookup(query(UTI, SUB)))
        .hasMessageContaining("HTTP 429 TooManyRequests");
  }

  @Test
  void aLateEventIsFoundOnceAzureHasIt() throws Exception {
    log.deliverAfter(Duration.ofMinutes(5));
    record(operation(UTI, "Microsoft.Compute/virtualMachines/write", Duration.ofMinutes(1)));
    assertThat(lookup(query(UTI, SUB)).calls()).isEmpty();
    clock.advance(Duration.ofMinutes(5));
    assertThat(lookup(query(UTI, SUB)).calls()).hasSize(1);
  }

  @Test
  void aSubscriptionTheReaderHasNoRoleOnOrDoesNotExistFailsWithAzuresCode() {
    log.allow(OTHER_SUB, "cccccccc-0000-0000-0000-000000000000");
    assertThatThrownBy(() -> lookup(query(UTI, OTHER_SUB)))
        .hasMessageContaining("HTTP 403 AuthorizationFailed");
    assertThatThrownBy(() -> lookup(query(UTI, "12345678-1234-1234-1234-123456789012")))
        .hasMessageContaining("HTTP 404 SubscriptionNotFound");
  }

  @Test
  void aTokenForAnotherReaderIsRefusedAsInvalid() {
    activity.close();
    activity =
        new AzureActivity(
            new AzureActivitySettings(
                TENANT, "dddddddd-0000-0000-0000-000000000000", List.of(SUB), log.uri()),
            new AzureSettings(
                entra.uri(), Duration.ofSeconds(10), 0, Optional.of(tls.clientContext())),
            new TestJwtSigner(Clock.systemUTC()),
            Clock.systemUTC());
    assertThatThrownBy(() -> lookup(query(UTI, SUB)))
        .hasMessageContaining("HTTP 401 InvalidAuthenticationToken");
  }

  @Test
  void entraRefusingTheReaderFailsTheLookupWithItsCodeAndNoToken() {
    entra.failNext(FakeEntra.Failure.NO_MATCHING_FEDERATED_IDENTITY);
    assertThatThrownBy(() -> lookup(query(UTI, SUB)))
        .hasMessageContaining("AADSTS70021")
        .hasMessageNotContaining("eyJ");
    assertThat(log.calls()).isZero();
  }

  @Test
  void theStandInRequiresATokenAndTakesOnlyTheDocumentedFilters() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String path =
        log.uri()
            + "/subscriptions/"
            + SUB
            + "/providers/Microsoft.Insights/eventtypes/management/values?api-version=2015-04-01";
    HttpResponse<String> none =
        http.send(
            HttpRequest.newBuilder(URI.create(path)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.body()).contains("AuthenticationFailed");
    HttpResponse<String> forged =
        http.send(
            HttpRequest.newBuilder(URI.create(path))
                .header("Authorization", "Bearer a.b.c")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(forged.statusCode()).isEqualTo(401);
    assertThat(forged.body()).contains("InvalidAuthenticationToken");
  }

  /**
   * A reader set up in another tenant than the subscription's gets a genuine token from Entra, for
   * the right endpoint, and Azure Resource Manager still refuses it: the token is from the wrong
   * issuer.
   */
  @Test
  void aReadersTokenFromAnotherTenantIsRefused() {
    activity.close();
    activity =
        new AzureActivity(
            new AzureActivitySettings(OTHER_TENANT, READER, List.of(SUB), log.uri()),
            new AzureSettings(
                entra.uri(), Duration.ofSeconds(10), 0, Optional.of(tls.clientContext())),
            signer,
            Clock.systemUTC());
    assertThatThrownBy(() -> lookup(query(UTI, SUB)))
        .hasMessageContaining("HTTP 401 InvalidAuthenticationTokenTenant");
    assertThat(FakeEntra.tenant(entra.onlyTokenCall())).isEqualTo(OTHER_TENANT);
  }

  /**
   * The reader keeps the token it was given while it lasts by its own clock; once Azure's clock is
   * past the token's expiry, Azure Resource Manager refuses it however fresh the reader thinks it.
   */
  @Test
  void aReadersTokenPastItsExpiryIsRefused() throws Exception {
    assertThat(lookup(query(UTI, SUB)).calls()).isEmpty();
    clock.advance(Duration.ofHours(2));
    assertThatThrownBy(() -> lookup(query(UTI, SUB)))
        .hasMessageContaining("HTTP 401 ExpiredAuthenticationToken");
    assertThat(entra.tokenCalls()).hasSize(1);
  }

  /**
   * Each token below differs from one Azure Resource Manager takes in one way only, and is refused
   * with ARM's code: a token not signed by the tenant's Entra (none, another key under Entra's key
   * id, a signed token whose claims were changed), one for another resource, from another tenant,
   * expired, not yet valid, or naming no object id.
   */
  @Test
  void theStandInTakesOnlyTokensArmWouldTake() throws Exception {
    Instant now = clock.instant();
    assertThat(presented(entra.sign(claims(now)))).as("the genuine token").isEqualTo("200");

    assertThat(presented(unsigned(claims(now)))).isEqualTo("401 InvalidAuthenticationToken");
    assertThat(presented(signedByAnotherKey(claims(now))))
        .isEqualTo("401 InvalidAuthenticationToken");
    ObjectNode issued = claims(now);
    String[] genuine = entra.sign(issued).split("\\.");
    issued.put("exp", now.plus(Duration.ofDays(30)).getEpochSecond());
    assertThat(presented(genuine[0] + "." + base64(issued.toString()) + "." + genuine[2]))
        .as("its expiry moved after signing")
        .isEqualTo("401 InvalidAuthenticationToken");
    assertThat(presented(entra.sign(claims(now).put("aud", "https://vault.azure.net"))))
        .isEqualTo("401 InvalidAuthenticationTokenAudience");
    assertThat(
            presented(
                entra.sign(
                    entra.accessTokenClaims(
                        OTHER_TENANT,
                        READER,
                        log.audience(),
                        now.minusSeconds(60),
                        now.plus(Duration.ofHours(1))))))
        .isEqualTo("401 InvalidAuthenticationTokenTenant");
    assertThat(
            presented(
                entra.sign(
                    entra.accessTokenClaims(
                        TENANT,
                        READER,
                        log.audience(),
                        now.minus(Duration.ofHours(2)),
                        now.minus(Duration.ofHours(1))))))
        .isEqualTo("401 ExpiredAuthenticationToken");
    assertThat(
            presented(
                entra.sign(
                    entra.accessTokenClaims(
                        TENANT,
                        READER,
                        log.audience(),
                        now.plus(Duration.ofMinutes(10)),
                        now.plus(Duration.ofHours(1))))))
        .as("not valid yet")
        .isEqualTo("401 InvalidAuthenticationToken");
    ObjectNode noObject = claims(now);
    noObject.remove("oid");
    assertThat(presented(entra.sign(noObject))).isEqualTo("401 InvalidAuthenticationToken");
  }

  /** The claims of a token Entra would issue the reader for this log, valid for an hour. */
  ObjectNode claims(Instant now) {
    return entra.accessTokenClaims(
        TENANT, READER, log.audience(), now.minusSeconds(60), now.plus(Duration.ofHours(1)));
  }

  static String base64(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  /** An unsecured JWT ({@code alg: none}): claims anyone could write. */
  static String unsigned(ObjectNode claims) {
    return base64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + base64(claims.toString()) + ".";
  }

  /** Signed RS256 with a key that is not Entra's, under the key id Entra's key has. */
  String signedByAnotherKey(ObjectNode claims) throws JOSEException {
    String kid = entra.publicKeys().getKeys().get(0).getKeyID();
    RSAKey other = RsaKeys.jwk(kid);
    JWSObject jws =
        new JWSObject(
            new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).keyID(kid).build(),
            new Payload(claims.toString()));
    jws.sign(new RSASSASigner(other));
    return jws.serialize();
  }

  /** The log's answer to a page asked for with {@code token}: its status and error code. */
  String presented(String token) throws Exception {
    String filter = "eventTimestamp ge '" + clock.instant().minus(Duration.ofHours(1)) + "'";
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            log.uri()
                                + "/subscriptions/"
                                + SUB
                                + "/providers/Microsoft.Insights/eventtypes/management/values"
                                + "?api-version=2015-04-01&$filter="
                                + URLEncoder.encode(filter, StandardCharsets.UTF_8)))
                    .header("Authorization", "Bearer " + token)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 200
        ? "200"
        : r.statusCode() + " " + new JsonObject(r.body()).getJsonObject("error").getString("code");
  }

  @Test
  void aNextLinkToAnotherHostIsNotFollowed() {
    URI management = URI.create("https://management.azure.com");
    assertThatThrownBy(
            () ->
                ActivityLogPages.Cursor.decode(
                    "1 https://attacker.example.com/subscriptions/x?$skiptoken=1", management))
        .hasMessageContaining("not followed");
    assertThatThrownBy(
            () -> ActivityLogPages.Cursor.decode("1 http://management.azure.com/x", management))
        .hasMessageContaining("not followed");
    assertThat(
            ActivityLogPages.Cursor.decode(
                    "3 https://management.azure.com:443/subscriptions/x?$skiptoken=1", management)
                .page())
        .isEqualTo(3);
  }

  @Test
  void aWindowOfMoreThanThePageCapIsCutShortRatherThanFailedForGood() {
    ActivityLogPages.Cursor last =
        new ActivityLogPages.Cursor(
            URI.create("https://management.azure.com/x"), ActivityLogPages.MAX_PAGES - 1);
    assertThat(
            last.next(URI.create("https://management.azure.com"), "https://management.azure.com/y"))
        .isEmpty();
    assertThatThrownBy(
            () -> last.next(URI.create("https://management.azure.com"), "https://evil.example/y"))
        .as("a link elsewhere is still refused at the cap")
        .hasMessageContaining("not followed");
  }

  @Test
  void retryAfterIsReadInSecondsOrAsADate() {
    assertThat(ActivityLogPages.retryAfter(Optional.of("7"), Instant.now()))
        .isEqualTo(Duration.ofSeconds(7));
    assertThat(ActivityLogPages.retryAfter(Optional.empty(), Instant.now()))
        .isEqualTo(ActivityLogPages.DEFAULT_WAIT);
    assertThat(ActivityLogPages.retryAfter(Optional.of("soon"), Instant.now()))
        .isEqualTo(ActivityLogPages.DEFAULT_WAIT);
    assertThat(
            ActivityLogPages.retryAfter(
                Optional.of("Thu, 01 Jan 1970 00:00:00 GMT"), Instant.now()))
        .isEqualTo(Duration.ZERO);
  }

  @Test
  void theReaderIsIdentifiedAsConfigured() {
    ActivityLookup lookup = activity;
    assertThat(lookup.places()).containsExactly(SUB);
    assertThatThrownBy(
            () ->
                new AzureActivitySettings(
                    "common",
                    "nope",
                    List.of("not-a-subscription"),
                    URI.create("http://example.com")))
        .hasMessageContaining("tenant_id")
        .hasMessageContaining("client_id")
        .hasMessageContaining("not-a-subscription")
        .hasMessageContaining("azure.management_endpoint");
  }
}
