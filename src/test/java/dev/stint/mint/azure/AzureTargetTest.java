package dev.stint.mint.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stint.cloud.AzureTarget;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** An Azure target's checks and its tokens' reach, with the settings and token they meet here. */
class AzureTargetTest {
  private static final String TENANT = "11111111-2222-3333-4444-555555555555";
  private static final String CLIENT = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
  private static final String SCOPE = "https://management.azure.com/.default";

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      11111111-2222-3333-4444-555555555555 | https://management.azure.com/.default
      contoso.onmicrosoft.com              | https://vault.azure.net/.default
      contoso.com                          | api://aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee/.default
      """)
  void goodAppsAreAccepted(String tenant, String scope) {
    assertThat(new AzureTarget(tenant, CLIENT, scope, false).scope()).isEqualTo(scope);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      multi-tenant alias | common             | aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee | https://management.azure.com/.default | tenant_id must be
      tenant with slash  | a/b                | aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee | https://management.azure.com/.default | tenant_id must be
      client not a GUID  | contoso.com        | my-app                               | https://management.azure.com/.default | client_id must be
      scope not .default | contoso.com        | aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee | https://management.azure.com/user_impersonation | scope must read
      missing scope      | contoso.com        | aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee |                                       | scope must read
      """)
  void badAppsAreRefusedWithTheReason(
      String name, String tenant, String client, String scope, String reason) {
    assertThatThrownBy(() -> new AzureTarget(tenant, client, scope, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid azure profile: ")
        .hasMessageContaining(reason);
  }

  @Test
  void settingsDefaultToEntraAndRefuseHttpAuthorities() {
    assertThat(AzureSettings.of(Optional.empty()).authorityHost())
        .isEqualTo(URI.create("https://login.microsoftonline.com"));
    assertThatThrownBy(
            () ->
                new AzureSettings(
                    URI.create("http://127.0.0.1:1"), Duration.ofSeconds(1), 0, Optional.empty()))
        .hasMessageContaining("must be an https URL");
  }

  @Test
  void theTokenNeverShowsInToString() {
    assertThat(new AzureToken("secret-token", Instant.EPOCH).toString())
        .doesNotContain("secret-token");
    assertThat(new AzureTarget(TENANT, CLIENT, SCOPE, true).allowLifetimeOverrun()).isTrue();
  }

  @ParameterizedTest
  @CsvSource({
    "https://management.azure.com/.default, true",
    "https://management.azure.com//.default, true",
    "https://management.core.windows.net/.default, true",
    "https://management.usgovcloudapi.net/.default, true",
    "https://management.chinacloudapi.cn/.default, true",
    "https://storage.azure.com/.default, false",
    "https://vault.azure.net/.default, false",
    "https://graph.microsoft.com/.default, false",
    "https://management.azure.com.example.com/.default, false",
  })
  void onlyResourceManagersTokensReachItsActivityLog(String scope, boolean arm) {
    assertThat(
            new AzureTarget(
                    "11111111-2222-3333-4444-555555555555",
                    "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
                    scope,
                    false)
                .forResourceManager())
        .isEqualTo(arm);
  }
}
