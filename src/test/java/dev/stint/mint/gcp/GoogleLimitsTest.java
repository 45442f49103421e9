package dev.stint.mint.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Google's limits and endpoints, as the minter applies them. */
class GoogleLimitsTest {
  private static final String SA = "viewer@prod-123.iam.gserviceaccount.com";

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
    GoogleMax googleMax = new GoogleMax(Duration.ofSeconds(max));

    assertThat(googleMax.cappedSeconds(Duration.ofSeconds(requested))).isEqualTo(capped);
  }

  @Test
  void googleNeverAllowsMoreThanTwelveHours() {
    assertThatThrownBy(() -> new GoogleMax(Duration.ofHours(13)))
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
