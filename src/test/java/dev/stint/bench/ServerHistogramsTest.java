package dev.stint.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ServerHistogramsTest {
  private static final String SERIES =
      "stint_issuance_seconds{channel=\"credentials\",outcome=\"issued\"}";

  private static String scrape(double at10ms, double at20ms, double at40ms, double inf) {
    return String.join(
        "\n",
        "# TYPE stint_issuance_seconds histogram",
        "stint_issuance_seconds_bucket{channel=\"credentials\",outcome=\"issued\",le=\"0.01\",} "
            + at10ms,
        "stint_issuance_seconds_bucket{channel=\"credentials\",outcome=\"issued\",le=\"0.02\",} "
            + at20ms,
        "stint_issuance_seconds_bucket{channel=\"credentials\",outcome=\"issued\",le=\"0.04\",} "
            + at40ms,
        "stint_issuance_seconds_bucket{channel=\"credentials\",outcome=\"issued\",le=\"+Inf\",} "
            + inf,
        "stint_issuance_seconds_bucket{channel=\"ci\",outcome=\"issued\",le=\"0.01\",} 500.0",
        "stint_issuance_seconds_count{channel=\"credentials\",outcome=\"issued\",} " + inf);
  }

  @Test
  void percentilesCountOnlyWhatWasRecordedBetweenTheTwoScrapes() {
    ServerHistograms before = ServerHistograms.parse(scrape(1000, 1000, 1000, 1000));
    // 100 more: 50 under 10 ms, 49 between 10 and 20 ms, 1 between 20 and 40 ms.
    ServerHistograms after = ServerHistograms.parse(scrape(1050, 1099, 1100, 1100));

    ServerHistograms.Window w = after.since(before, SERIES);

    assertThat(w.count()).isEqualTo(100);
    assertThat(w.p50()).isCloseTo(10.0, within(0.01));
    assertThat(w.p99()).isCloseTo(20.0, within(0.01));
  }

  @Test
  void aSeriesWithNothingNewSaysSo() {
    ServerHistograms same = ServerHistograms.parse(scrape(5, 6, 7, 7));
    assertThat(same.since(same, SERIES).toString()).endsWith("nothing recorded");
    assertThat(same.since(same, "stint_unknown_seconds{}").count()).isZero();
  }
}
