package dev.stint.mint.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stint.mint.IssuedUnder;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GcpAccountTest {
  private static final String SA = "viewer@prod-123.iam.gserviceaccount.com";
  private static final String PROVIDER =
      "//iam.googleapis.com/projects/123456789/locations/global/"
          + "workloadIdentityPools/stint/providers/stint";

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      cloud-platform                                        | https://www.googleapis.com/auth/cloud-platform
      cloud-platform.read-only                              | https://www.googleapis.com/auth/cloud-platform.read-only
      devstorage.read_only                                  | https://www.googleapis.com/auth/devstorage.read_only
      https://www.googleapis.com/auth/userinfo.email        | https://www.googleapis.com/auth/userinfo.email
      """)
  void scopesExpandFromShortNames(String given, String expanded) {
    assertThat(GcpAccount.impersonate(SA, List.of(given)).scopes()).containsExactly(expanded);
  }

  @Test
  void delegatesTakeTheApisResourceForm() {
    GcpAccount account =
        new GcpAccount(
            SA,
            List.of("cloud-platform"),
            List.of(
                "a@p.iam.gserviceaccount.com",
                "projects/-/serviceAccounts/b@p.iam.gserviceaccount.com"),
            GcpAccount.Mode.IMPERSONATE,
            Optional.empty());

    assertThat(account.delegates())
        .containsExactly(
            "projects/-/serviceAccounts/a@p.iam.gserviceaccount.com",
            "projects/-/serviceAccounts/b@p.iam.gserviceaccount.com");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
      bad account                | not an email                          | cloud-platform  |          | IMPERSONATE       |            | service_account must be
      account with a slash       | a/b@x.iam.gserviceaccount.com         | cloud-platform  |          | IMPERSONATE       |            | service_account must be
      no scopes                  | v@p.iam.gserviceaccount.com           |                 |          | IMPERSONATE       |            | at least one OAuth scope
      foreign scope URL          | v@p.iam.gserviceaccount.com           | https://evil.example/x |   | IMPERSONATE       |            | scope 'https://evil.example/x'
      scope with space           | v@p.iam.gserviceaccount.com           | cloud platform  |          | IMPERSONATE       |            | scope 'cloud platform'
      bad delegate               | v@p.iam.gserviceaccount.com           | cloud-platform  | a b      | IMPERSONATE       |            | delegate 'a b'
      no mode                    | v@p.iam.gserviceaccount.com           | cloud-platform  |          |                   |            | mode must be
      workload without provider  | v@p.iam.gserviceaccount.com           | cloud-platform  |          | WORKLOAD_IDENTITY |            | needs workload_provider
      provider on impersonation  | v@p.iam.gserviceaccount.com           | cloud-platform  |          | IMPERSONATE       | PROVIDER   | only used with mode workload_identity
      provider not a resource    | v@p.iam.gserviceaccount.com           | cloud-platform  |          | WORKLOAD_IDENTITY | https://x  | workload_provider must read
      """)
  void badAccountsAreRefusedWithTheReason(
      String name,
      String account,
      String scope,
      String delegate,
      String mode,
      String provider,
      String reason) {
    List<String> scopes = scope == null ? List.of() : List.of(scope);
    List<String> delegates = delegate == null ? List.of() : List.of(delegate);
    Optional<String> workload =
        Optional.ofNullable(provider).map(p -> p.equals("PROVIDER") ? PROVIDER : p);
    GcpAccount.Mode m = mode == null ? null : GcpAccount.Mode.valueOf(mode);

    assertThatThrownBy(() -> new GcpAccount(account, scopes, delegates, m, workload))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid gcp profile: ")
        .hasMessageContaining(reason);
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    assertThatThrownBy(
            () ->
                new GcpAccount(
                    "nope",
                    List.of(),
                    List.of(),
                    GcpAccount.Mode.WORKLOAD_IDENTITY,
                    Optional.empty()))
        .hasMessageContaining("service_account")
        .hasMessageContaining("scopes")
        .hasMessageContaining("workload_provider");
  }

  @ParameterizedTest
  @CsvSource({"impersonate, IMPERSONATE", "workload_identity, WORKLOAD_IDENTITY"})
  void modesReadTheirYamlSpelling(String yaml, GcpAccount.Mode mode) {
    assertThat(GcpAccount.Mode.of(yaml)).isEqualTo(mode);
  }

  @ParameterizedTest
  @CsvSource({"IMPERSONATE", "workload-identity", "''"})
  void unknownModesAreRefused(String yaml) {
    assertThatThrownBy(() -> GcpAccount.Mode.of(yaml))
        .hasMessageContaining("mode must be impersonate or workload_identity");
  }

  @Test
  void aWorkloadIdentityAccountKeepsItsProvider() {
    GcpAccount account =
        new GcpAccount(
            SA,
            List.of("cloud-platform"),
            null,
            GcpAccount.Mode.WORKLOAD_IDENTITY,
            Optional.of(PROVIDER));

    assertThat(account.workloadProvider()).contains(PROVIDER);
    assertThat(account.delegates()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      3600   | 3600  | 3600
      7200   | 3600  | 3600
      90     | 3600  | 90
      0      | 3600  | 0
      50000  | 43200 | 43200
      """)
  void lifetimesAreCappedByGooglesMaximum(long requested, long max, long capped) {
    GcpMintRequest request =
        new GcpMintRequest(
            GcpAccount.impersonate(SA, List.of("cloud-platform")),
            new IssuedUnder.Grant("g"),
            "p",
            "alice",
            Duration.ofSeconds(requested),
            Duration.ofSeconds(max));

    assertThat(request.cappedSeconds()).isEqualTo(capped);
  }

  @Test
  void googleNeverAllowsMoreThanTwelveHours() {
    assertThatThrownBy(
            () ->
                new GcpMintRequest(
                    GcpAccount.impersonate(SA, List.of("cloud-platform")),
                    new IssuedUnder.Grant("g"),
                    "p",
                    "alice",
                    Duration.ofHours(1),
                    Duration.ofHours(13)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void settingsDefaultToGooglesEndpointsAndBuildTheRequestUrls() {
    GcpSettings defaults = GcpSettings.of(Optional.empty(), Optional.empty());
    GcpSettings custom =
        GcpSettings.of(
            Optional.of(URI.create("https://private.example/iam/")),
            Optional.of(URI.create("https://sts.private.example")));

    assertThat(Arrays.asList(defaults.generateAccessTokenUrl(SA), defaults.tokenExchangeUrl()))
        .containsExactly(
            "https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/"
                + SA
                + ":generateAccessToken",
            "https://sts.googleapis.com/v1/token");
    assertThat(Arrays.asList(custom.generateAccessTokenUrl(SA), custom.tokenExchangeUrl()))
        .containsExactly(
            "https://private.example/iam/v1/projects/-/serviceAccounts/"
                + SA
                + ":generateAccessToken",
            "https://sts.private.example/v1/token");
  }
}
