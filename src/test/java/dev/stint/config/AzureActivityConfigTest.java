package dev.stint.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code azure.activity.*} and {@code azure.management_endpoint}: all three reader keys or none.
 */
class AzureActivityConfigTest {
  static final String TENANT = "11111111-2222-3333-4444-555555555555";
  static final String CLIENT = "bbbbbbbb-cccc-dddd-eeee-ffffffffffff";
  static final String SUB = "00000000-1111-2222-3333-444444444444";

  @TempDir Path dir;

  StintConfig load(String yaml, Map<String, String> env) throws IOException {
    Path file = dir.resolve("stint.yaml");
    Files.writeString(file, yaml);
    return ConfigLoader.load(Optional.of(file), env);
  }

  String problemOf(String yaml, Map<String, String> env) {
    Throwable t = Assertions.catchThrowable(() -> load(yaml, env));
    assertThat(t).isInstanceOf(ConfigException.class);
    return t.getMessage();
  }

  @Test
  void withoutTheReaderKeysNoAzureTokenIsLookedUpAndArmIsThePublicClouds() throws IOException {
    StintConfig c = load("", Map.of());
    assertThat(c.activity().azure()).isEmpty();
    assertThat(c.clouds().azureManagement()).isEqualTo(URI.create("https://management.azure.com"));
  }

  @Test
  void theReaderFromTheFileOrTheEnvironment() throws IOException {
    StintConfig file =
        load(
            "azure:\n  management_endpoint: https://management.usgovcloudapi.net\n"
                + "  activity:\n    tenant_id: "
                + TENANT
                + "\n    client_id: "
                + CLIENT
                + "\n    subscriptions: ["
                + SUB
                + ", "
                + SUB
                + "]\n",
            Map.of());
    assertThat(file.activity().azure())
        .contains(new StintConfig.AzureReader(TENANT, CLIENT, List.of(SUB)));
    assertThat(file.clouds().azureManagement())
        .isEqualTo(URI.create("https://management.usgovcloudapi.net"));
    StintConfig env =
        load(
            "",
            Map.of(
                "STINT_AZURE_ACTIVITY_TENANT_ID",
                "contoso.onmicrosoft.com",
                "STINT_AZURE_ACTIVITY_CLIENT_ID",
                CLIENT,
                "STINT_AZURE_ACTIVITY_SUBSCRIPTIONS",
                SUB,
                "STINT_AZURE_MANAGEMENT_ENDPOINT",
                "http://127.0.0.1:9443"));
    assertThat(env.activity().azure().orElseThrow().tenantId())
        .isEqualTo("contoso.onmicrosoft.com");
    assertThat(env.clouds().azureManagement()).isEqualTo(URI.create("http://127.0.0.1:9443"));
  }

  @Test
  void someReaderKeysWithoutTheOthersAreABootErrorNamingTheMissing() {
    assertThat(problemOf("", Map.of("STINT_AZURE_ACTIVITY_CLIENT_ID", CLIENT)))
        .contains("azure.activity.tenant_id")
        .contains("azure.activity.subscriptions")
        .doesNotContain("azure.activity.client_id,");
  }

  @ParameterizedTest
  @CsvSource({
    "STINT_AZURE_ACTIVITY_TENANT_ID, common, azure.activity.tenant_id",
    "STINT_AZURE_ACTIVITY_CLIENT_ID, not-a-guid, azure.activity.client_id",
    "STINT_AZURE_ACTIVITY_SUBSCRIPTIONS, not-a-subscription, azure.activity.subscriptions",
    "STINT_AZURE_MANAGEMENT_ENDPOINT, http://management.example.com, azure.management_endpoint",
    "STINT_AZURE_MANAGEMENT_ENDPOINT, https://u:p@management.azure.com, azure.management_endpoint",
  })
  void aBadValueIsRefusedByName(String variable, String value, String key) {
    assertThat(problemOf("", Map.of(variable, value))).contains(key);
  }

  @Test
  void aBadValueAmongAllThreeIsRefusedAloneNotAsMissing() {
    String problem =
        problemOf(
            "",
            Map.of(
                "STINT_AZURE_ACTIVITY_TENANT_ID", TENANT,
                "STINT_AZURE_ACTIVITY_CLIENT_ID", "not-a-guid",
                "STINT_AZURE_ACTIVITY_SUBSCRIPTIONS", SUB));
    assertThat(problem).contains("azure.activity.client_id").doesNotContain("required");
  }
}
