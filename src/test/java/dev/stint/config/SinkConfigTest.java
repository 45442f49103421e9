package dev.stint.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code audit.sinks} is checked at load; the HEC token and URL queries are never repeated. */
class SinkConfigTest {
  private static final Map<String, String> ENV = Map.of("HEC_TOKEN", "hec-t0ken-value");

  private static StintConfig load(String sinks) throws Exception {
    Path file = Files.createTempFile("stint", ".yaml");
    Files.writeString(file, "audit:\n  sinks: " + sinks + "\n");
    return ConfigLoader.load(Optional.of(file), ENV);
  }

  @Test
  void everyTypeWithItsDefaults() throws Exception {
    List<SinkConfig> sinks =
        load("[{type: cloudevents, url: 'https://ce.example.com/in'},"
                + " {type: ocsf, name: lake, url: 'http://127.0.0.1:9000/ocsf', lag_alarm: 5m},"
                + " {type: splunk_hec, url: 'https://splunk.example.com:8088/services/collector/event',"
                + " token_env: HEC_TOKEN}, {type: s3, bucket: audit-stream, prefix: stint}]")
            .audit()
            .sinks();
    assertThat(sinks)
        .extracting(SinkConfig::name)
        .containsExactly("cloudevents", "lake", "splunk_hec", "s3");
    assertThat(sinks.get(0).lagAlarm()).isEqualTo(Duration.ofMinutes(15));
    assertThat(sinks.get(1).lagAlarm()).isEqualTo(Duration.ofMinutes(5));
    assertThat(sinks.get(1).url()).contains(URI.create("http://127.0.0.1:9000/ocsf"));
    assertThat(sinks.get(2).token()).contains("hec-t0ken-value");
    assertThat(sinks.get(2).toString()).doesNotContain("hec-t0ken-value");
    assertThat(sinks.get(3).s3().orElseThrow().bucket()).isEqualTo("audit-stream");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{type: cloudevents}|audit.sinks: expected a list",
        "[{type: kafka, url: 'https://k.example'}]|audit.sinks[0].type: expected cloudevents, ocsf, splunk_hec or s3",
        "[{type: ocsf}]|audit.sinks[0].url: an https URL",
        "[{type: ocsf, url: 'http://lake.example.com/?key=s3cr3t'}]|audit.sinks[0].url: an https URL",
        "[{type: splunk_hec, url: 'https://s.example'}]|audit.sinks[0].token_env: the environment variable holding the HEC token is required",
        "[{type: splunk_hec, url: 'https://s.example', token_env: NOPE}]|(NOPE) is not set",
        "[{type: s3, prefix: x}]|audit.sinks[0].bucket: expected an S3 bucket name",
        "[{type: ocsf, url: 'https://a.example'}, {type: ocsf, url: 'https://b.example'}]|audit.sinks[1].name: 'ocsf' is used twice",
        "[{type: ocsf, name: Bad Name, url: 'https://a.example'}]|audit.sinks[0].name: expected lowercase",
        "[{type: ocsf, url: 'https://a.example', lag_alarm: soon}]|audit.sinks[0].lag_alarm:",
        "[{type: ocsf, url: 'https://a.example', batch: 5}]|unknown key 'batch' in audit.sinks[0]",
      })
  void mistakesAreRefusedAtLoad(String sinks, String message) {
    assertThatThrownBy(() -> load(sinks))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(message)
        .hasMessageNotContaining("s3cr3t")
        .hasMessageNotContaining("hec-t0ken-value");
  }
}
