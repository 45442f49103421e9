package dev.stint.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GcpTargetTest {
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
    assertThat(GcpTarget.impersonate(SA, List.of(given)).scopes()).containsExactly(expanded);
  }

  @Test
  void delegatesTakeTheApisResourceForm() {
    GcpTarget account =
        new GcpTarget(
            SA,
            List.of("cloud-platform"),
            List.of(
                "a@p.iam.gserviceaccount.com",
                "projects/-/serviceAccounts/b@p.iam.gserviceaccount.com"),
            GcpTarget.Mode.IMPERSONATE,
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
    GcpTarget.Mode m = mode == null ? null : GcpTarget.Mode.valueOf(mode);

    assertThatThrownBy(() -> new GcpTarget(account, scopes, delegates, m, workload))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid gcp profile: ")
        .hasMessageContaining(reason);
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    assertThatThrownBy(
            () ->
                new GcpTarget(
                    "nope",
                    List.of(),
                    List.of(),
                    GcpTarget.Mode.WORKLOAD_IDENTITY,
                    Optional.empty()))
        .hasMessageContaining("service_account")
        .hasMessageContaining("scopes")
        .hasMessageContaining("workload_provider");
  }

  @ParameterizedTest
  @CsvSource({"impersonate, IMPERSONATE", "workload_identity, WORKLOAD_IDENTITY"})
  void modesReadTheirYamlSpelling(String yaml, GcpTarget.Mode mode) {
    assertThat(GcpTarget.Mode.of(yaml)).isEqualTo(mode);
  }

  @ParameterizedTest
  @CsvSource({"IMPERSONATE", "workload-identity", "''"})
  void unknownModesAreRefused(String yaml) {
    assertThatThrownBy(() -> GcpTarget.Mode.of(yaml))
        .hasMessageContaining("mode must be impersonate or workload_identity");
  }

  @Test
  void aWorkloadIdentityAccountKeepsItsProvider() {
    GcpTarget account =
        new GcpTarget(
            SA,
            List.of("cloud-platform"),
            null,
            GcpTarget.Mode.WORKLOAD_IDENTITY,
            Optional.of(PROVIDER));

    assertThat(account.workloadProvider()).contains(PROVIDER);
    assertThat(account.delegates()).isEmpty();
  }
}
