package dev.stint.mint.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import dev.stint.cloud.GcpTarget;
import dev.stint.common.ParameterPatterns;
import dev.stint.common.ParameterValues;
import dev.stint.common.SourceNetworks;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.mint.IssuedUnder;
import dev.stint.mint.MintOrder;
import dev.stint.testing.FakeGcp;
import dev.stint.testing.FakeGcp.Endpoint;
import dev.stint.testing.FakeGcp.Failure;
import dev.stint.testing.FakeHttpsEndpoint.Call;
import dev.stint.testing.Patience;
import dev.stint.testing.TestJwtSigner;
import dev.stint.testing.TestTls;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A profile with an access boundary: the real minter and google-auth-library against a local Google
 * whose STS refuses what Google's does and keeps every boundary it received. The caller gets the
 * downscoped token, never the service account's own.
 */
class GcpDownscopingTest {
  private static final String SA = "logs-reader@prod-123.iam.gserviceaccount.com";
  private static final String PROVIDER =
      "//iam.googleapis.com/projects/123456789/locations/global/"
          + "workloadIdentityPools/stint/providers/stint";
  private static final String BOUNDARY =
      "{\"accessBoundary\":{\"accessBoundaryRules\":[{\"availableResource\":"
          + "\"//storage.googleapis.com/projects/_/buckets/${bucket}\","
          + "\"availablePermissions\":[\"inRole:roles/storage.objectViewer\"]}]}}";
  private static final ParameterPatterns BUCKET =
      ParameterPatterns.of(Map.of("bucket", "[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]"));
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static TestTls tls;

  private FakeGcp google;
  private ExecutorService executor;
  private GcpConnections connections;
  private GcpMinter minter;

  @BeforeAll
  static void certificate() {
    tls = TestTls.create();
  }

  @BeforeEach
  void start() {
    google = new FakeGcp(tls, CLOCK);
    executor = Executors.newCachedThreadPool();
    // stint's own credential, good for an hour of wall-clock time (the library checks it).
    connections =
        new GcpConnections(
            () ->
                GoogleCredentials.create(
                    new AccessToken(
                        "stint-adc-token", Date.from(Instant.now().plus(Duration.ofHours(1))))));
    minter = minter(Duration.ofSeconds(10));
  }

  @AfterEach
  void stop() {
    google.close();
    connections.close();
    executor.shutdownNow();
  }

  private GcpMinter minter(Duration timeout) {
    GcpSettings settings =
        new GcpSettings(google.uri(), google.uri(), timeout, Optional.of(tls.clientContext()));
    return new GcpMinter(settings, connections, new TestJwtSigner(CLOCK), executor);
  }

  private static GcpTarget narrowed(GcpTarget.Mode mode, String boundary) {
    return new GcpTarget(
        SA,
        List.of("cloud-platform"),
        List.of(),
        mode,
        mode == GcpTarget.Mode.WORKLOAD_IDENTITY ? Optional.of(PROVIDER) : Optional.empty(),
        Optional.of(boundary),
        boundary.contains("${bucket}") ? BUCKET : ParameterPatterns.NONE);
  }

  private static MintOrder order(Map<String, String> values) {
    return new MintOrder(
        "gcs-team-bucket",
        SourceNetworks.ANY,
        new IssuedUnder.Grant("grant-1"),
        "alice@example.com",
        "https://idp.example.com",
        "alice",
        Duration.ofMinutes(30),
        CLOCK.instant().plus(Duration.ofHours(12)),
        ParameterValues.of(values),
        Optional.empty());
  }

  private GcpToken mint(GcpTarget target, MintOrder order) throws Exception {
    try {
      return minter
          .mint(target, order)
          .thenApply(t -> new GcpToken(t.token(), t.expiresAt()))
          .get(Patience.seconds(30), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  private List<Call> stsCalls() {
    return google.calls(c -> c.path().equals("/v1/token"));
  }

  @Test
  void theBoundaryFilledWithTheGrantsBucketIsExchangedAtStsAndTheCallerGetsTheDownscopedToken()
      throws Exception {
    GcpToken token =
        mint(narrowed(GcpTarget.Mode.IMPERSONATE, BOUNDARY), order(Map.of("bucket", "team-logs")));

    Call generate = google.onlyGenerate();
    Call sts = google.onlySts();
    assertThat(google.calls()).containsExactly(generate, sts);
    String source = sts.form("subject_token");
    assertThat(sts.form("grant_type")).isEqualTo("urn:ietf:params:oauth:grant-type:token-exchange");
    assertThat(sts.form("subject_token_type"))
        .isEqualTo("urn:ietf:params:oauth:token-type:access_token");
    assertThat(sts.form("requested_token_type"))
        .isEqualTo("urn:ietf:params:oauth:token-type:access_token");
    assertThat(google.issuedBy(source)).isEqualTo(Endpoint.GENERATE_ACCESS_TOKEN);
    assertThat(sts.header("authorization")).isNull();
    assertThat(JSON.readTree(sts.form("options")))
        .isEqualTo(
            JSON.readTree(
                "{\"accessBoundary\":{\"accessBoundaryRules\":[{\"availableResource\":"
                    + "\"//storage.googleapis.com/projects/_/buckets/team-logs\","
                    + "\"availablePermissions\":[\"inRole:roles/storage.objectViewer\"]}]}}"));
    JsonNode received = google.boundaries().get(0);
    assertThat(google.boundaries()).hasSize(1);
    JsonNode resource = received.path("accessBoundaryRules").get(0).get("availableResource");
    assertThat(resource.isTextual()).isTrue();
    assertThat(resource.asText())
        .isEqualTo("//storage.googleapis.com/projects/_/buckets/team-logs");

    assertThat(token.accessToken()).isNotEqualTo(source).startsWith("downscoped-");
    assertThat(google.downscoped(token.accessToken()).orElseThrow().accessBoundary())
        .isEqualTo(received);
    // The source token's expiry, by the fake's clock: the exchange's expires_in is not used.
    assertThat(token.expiresAt()).isEqualTo(CLOCK.instant().plus(Duration.ofMinutes(30)));
  }

  @Test
  void workloadIdentityDownscopesTheImpersonatedTokenNotTheFederatedOne() throws Exception {
    GcpToken token =
        mint(
            narrowed(GcpTarget.Mode.WORKLOAD_IDENTITY, BOUNDARY),
            order(Map.of("bucket", "team-logs")));

    List<Call> sts = stsCalls();
    assertThat(sts)
        .extracting(c -> c.form("subject_token_type"))
        .containsExactly(
            "urn:ietf:params:oauth:token-type:jwt",
            "urn:ietf:params:oauth:token-type:access_token");
    assertThat(sts.get(0).form("options")).isNull();
    String source = sts.get(1).form("subject_token");
    assertThat(google.issuedBy(source)).isEqualTo(Endpoint.GENERATE_ACCESS_TOKEN);
    assertThat(google.downscoped(token.accessToken()).orElseThrow().subjectToken())
        .isEqualTo(source);
  }

  @ParameterizedTest
  @ValueSource(strings = {"*", "a\"b", "team..logs"})
  void aRefusedValueIsInvalidAndNothingReachesGoogle(String bucket) {
    assertThatThrownBy(
            () ->
                mint(
                    narrowed(GcpTarget.Mode.IMPERSONATE, BOUNDARY),
                    order(Map.of("bucket", bucket))))
        .isInstanceOfSatisfying(
            StintException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
              assertThat(e.detail()).startsWith("bucket: ").doesNotContain(bucket);
            });
    assertThat(google.calls()).isEmpty();
  }

  @Test
  void valuesForAProfileWithoutABoundaryAreInvalidAndNothingReachesGoogle() {
    GcpTarget wide = GcpTarget.impersonate(SA, List.of("cloud-platform"));

    assertThatThrownBy(() -> mint(wide, order(Map.of("bucket", "team-logs"))))
        .isInstanceOfSatisfying(
            StintException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST));
    assertThat(google.calls()).isEmpty();
  }

  @Test
  void aBoundaryPastGooglesLimitOnceFilledIsInvalidAndNothingReachesGoogle() throws Exception {
    String rule =
        "{\"availableResource\":\"//storage.googleapis.com/projects/_/buckets/${bucket}\","
            + "\"availablePermissions\":[\"inRole:roles/storage.objectViewer\"],"
            + "\"availabilityCondition\":{\"expression\":"
            + "\"resource.name.startsWith('projects/_/buckets/${bucket}/')\"}}";
    // Eight rules naming the bucket twice: 1,948 characters filled with team-logs, 2,812 with a
    // 63-character bucket, past the 2,048 Google takes.
    GcpTarget eightRules =
        narrowed(
            GcpTarget.Mode.IMPERSONATE,
            "{\"accessBoundary\":{\"accessBoundaryRules\":["
                + String.join(",", Collections.nCopies(8, rule))
                + "]}}");
    mint(eightRules, order(Map.of("bucket", "team-logs")));
    assertThat(google.onlySts().form("options")).hasSize(1948);
    String longest = "b" + "u".repeat(61) + "k";

    assertThatThrownBy(() -> mint(eightRules, order(Map.of("bucket", longest))))
        .isInstanceOfSatisfying(
            StintException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
              assertThat(e.detail())
                  .isEqualTo(
                      "the filled access boundary is 2812 characters;"
                          + " Google STS takes at most 2048");
            });
    assertThat(google.calls()).hasSize(2);
  }

  @ParameterizedTest
  @CsvSource({
    "INVALID_GRANT, FORBIDDEN",
    "PERMISSION_DENIED, FORBIDDEN",
    "SERVER_ERROR, UPSTREAM_UNAVAILABLE"
  })
  void stsFailingTheExchangeMapsAsIamCredentialsErrorsDo(Failure failure, ErrorCode code) {
    google.failNext(Endpoint.STS, failure);

    assertThatThrownBy(
            () ->
                mint(
                    narrowed(GcpTarget.Mode.IMPERSONATE, BOUNDARY),
                    order(Map.of("bucket", "team-logs"))))
        .isInstanceOfSatisfying(
            StintException.class,
            e -> {
              assertThat(e.code()).isEqualTo(code);
              assertThat(e.detail()).contains("gcs-team-bucket").doesNotContain(SA);
            });
    assertThat(google.onlyGenerate()).isNotNull();
    assertThat(google.onlySts()).isNotNull();
  }

  @Test
  void aBoundaryStsRefusesIsForbiddenWithGooglesReasonInTheLogOnly() {
    String rule =
        "{\"availableResource\":\"//storage.googleapis.com/projects/_/buckets/b\","
            + "\"availablePermissions\":[\"inRole:roles/storage.objectViewer\"]}";
    String elevenRules =
        "{\"accessBoundary\":{\"accessBoundaryRules\":["
            + String.join(",", Collections.nCopies(11, rule))
            + "]}}";

    assertThatThrownBy(
            () -> mint(narrowed(GcpTarget.Mode.IMPERSONATE, elevenRules), order(Map.of())))
        .isInstanceOfSatisfying(
            StintException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN);
              assertThat(e.detail())
                  .isEqualTo("Google refused to issue a token for profile gcs-team-bucket");
            });
    assertThat(google.boundaries()).hasSize(1);
    assertThat(google.boundaries().get(0).path("accessBoundaryRules")).hasSize(11);
  }

  @Test
  void aHangingStsIsCutOffAtTheMintsDeadline() {
    google.failNext(Endpoint.STS, Failure.HANG);
    minter = minter(Duration.ofMillis(500));
    // STS never answers: the failure can only come from the deadline, however slow the host.
    assertThatThrownBy(
            () ->
                mint(
                    narrowed(GcpTarget.Mode.IMPERSONATE, BOUNDARY),
                    order(Map.of("bucket", "team-logs"))))
        .isInstanceOfSatisfying(
            StintException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.UPSTREAM_UNAVAILABLE));
  }

  @Test
  void aProfileWithoutABoundaryNeverCallsSts() throws Exception {
    GcpToken token = mint(GcpTarget.impersonate(SA, List.of("cloud-platform")), order(Map.of()));

    assertThat(google.issuedBy(token.accessToken())).isEqualTo(Endpoint.GENERATE_ACCESS_TOKEN);
    assertThat(stsCalls()).isEmpty();
    assertThat(google.boundaries()).isEmpty();
  }
}
