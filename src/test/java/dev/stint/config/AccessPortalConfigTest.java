package dev.stint.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** aws.identity_center.start_url and .region: the access portal people's tools are sent to. */
class AccessPortalConfigTest {
  static final String START = "https://d-0123456789.awsapps.com/start";

  private static Optional<AccessPortal> load(Map<String, String> env) {
    return ConfigLoader.load(Optional.empty(), env).clouds().awsAccessPortal();
  }

  @Test
  void absentMeansNoPortal() {
    assertThat(load(Map.of())).isEmpty();
    assertThat(load(Map.of("STINT_AWS_IDENTITY_CENTER_REGION", "eu-west-1"))).isEmpty();
  }

  @Test
  void startUrlAndRegionLoadWithoutATrailingSlash() {
    AccessPortal portal =
        load(Map.of(
                "STINT_AWS_IDENTITY_CENTER_START_URL", START + "/",
                "STINT_AWS_IDENTITY_CENTER_REGION", "eu-west-1",
                "STINT_AWS_REGION", "us-east-1"))
            .orElseThrow();
    assertThat(portal).isEqualTo(new AccessPortal(URI.create(START), "eu-west-1"));
  }

  @Test
  void aCustomDomainIsAPortalToo() {
    assertThat(
            load(Map.of(
                    "STINT_AWS_IDENTITY_CENTER_START_URL", "https://sso.example.com/start",
                    "STINT_AWS_IDENTITY_CENTER_REGION", "eu-west-1"))
                .orElseThrow()
                .startUrl())
        .isEqualTo(URI.create("https://sso.example.com/start"));
  }

  @Test
  void theRegionDefaultsToAwsRegion() {
    assertThat(
            load(Map.of(
                    "STINT_AWS_IDENTITY_CENTER_START_URL",
                    START,
                    "STINT_AWS_REGION",
                    "eu-central-1"))
                .orElseThrow()
                .region())
        .isEqualTo("eu-central-1");
  }

  @Test
  void aStartUrlWithoutAnyRegionIsRefused() {
    Throwable t = catchThrowable(() -> load(Map.of("STINT_AWS_IDENTITY_CENTER_START_URL", START)));
    assertThat(t)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("aws.identity_center.region")
        .hasMessageContaining("required with aws.identity_center.start_url");
  }

  @Test
  void aBadRegionIsRefused() {
    Throwable t =
        catchThrowable(
            () ->
                load(
                    Map.of(
                        "STINT_AWS_IDENTITY_CENTER_START_URL",
                        START,
                        "STINT_AWS_IDENTITY_CENTER_REGION",
                        "Europe")));
    assertThat(t)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("aws.identity_center.region")
        .hasMessageContaining("expected an AWS region");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://d-0123456789.awsapps.com/start",
        "d-0123456789.awsapps.com/start",
        "https://d-0123456789.awsapps.com/start?x=1",
        "https://d-0123456789.awsapps.com/start#/",
        "https://user:pw@d-0123456789.awsapps.com/start",
        "https://d-0123456789.awsapps.com:8443/start",
        "ftp://d-0123456789.awsapps.com/start"
      })
  void aStartUrlThatIsNotAnHttpsPageIsRefused(String url) {
    Throwable t =
        catchThrowable(
            () ->
                load(
                    Map.of(
                        "STINT_AWS_IDENTITY_CENTER_START_URL",
                        url,
                        "STINT_AWS_IDENTITY_CENTER_REGION",
                        "eu-west-1")));
    assertThat(t)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("aws.identity_center.start_url")
        .hasMessageContaining("access portal")
        .message()
        .doesNotContain("pw@");
  }

  @Test
  void theConsoleLinkIsThePortalsDeepLinkToTheAccountAndPermissionSet() {
    AccessPortal portal = new AccessPortal(URI.create(START), "eu-west-1");
    assertThat(portal.consoleLink("444455556666", "ReadOnly").toString())
        .isEqualTo(START + "/#/console?account_id=444455556666&role_name=ReadOnly");
  }
}
