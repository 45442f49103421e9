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

/** {@code audit.checkpoints} is checked at load: every mistake named, secrets never repeated. */
class CheckpointConfigTest {

  private static StintConfig load(String yaml) throws Exception {
    Path file = Files.createTempFile("stint", ".yaml");
    Files.writeString(file, yaml);
    return ConfigLoader.load(Optional.of(file), Map.of());
  }

  @Test
  void absentMeansNoCheckpoints() throws Exception {
    assertThat(load("audit:\n  timeout: 2s\n").audit().checkpoints()).isEmpty();
  }

  @Test
  void retentionIsOffByDefaultAndNeedsAnAnchorThatKeepsFiles() throws Exception {
    assertThat(load("audit:\n  timeout: 2s\n").audit().retention()).isEmpty();
    assertThat(
            load("audit:\n  retention: 400d\n  checkpoints:\n    anchors:\n"
                    + "      - dir: /var/lib/stint/anchor\n")
                .audit()
                .retention())
        .contains(Duration.ofDays(400));
    for (String yaml :
        List.of(
            "audit:\n  retention: 400d\n",
            "audit:\n  retention: 400d\n  checkpoints:\n    anchors:\n"
                + "      - webhook: https://keeper.example/checkpoints\n")) {
      assertThatThrownBy(() -> load(yaml))
          .hasMessageContaining(
              "audit.retention needs an" + " audit.checkpoints anchor that stores objects");
    }
    assertThatThrownBy(
            () ->
                load(
                    "audit:\n  retention: 1h\n  checkpoints:\n    anchors:\n"
                        + "      - dir: /var/lib/stint/anchor\n"))
        .hasMessageContaining("audit.retention");
  }

  @Test
  void everyAnchorKindWithDefaults() throws Exception {
    CheckpointConfig c =
        load("audit:\n  checkpoints:\n    anchors:\n"
                + "      - dir: /var/lib/anchor\n"
                + "      - s3: {bucket: acme-audit, prefix: stint/prod, object_lock_mode: COMPLIANCE,"
                + " retention: 400d, endpoint: 'http://127.0.0.1:9000'}\n"
                + "      - webhook: 'https://siem.example.com/cp?token=s3cr3t'\n")
            .audit()
            .checkpoints()
            .orElseThrow();
    assertThat(c.everyEvents()).isEqualTo(1000);
    assertThat(c.every()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.verifyEvery()).isEqualTo(Duration.ofMinutes(1));
    assertThat(c.anchors())
        .containsExactly(
            new CheckpointConfig.Dir(Path.of("/var/lib/anchor")),
            new CheckpointConfig.S3(
                "acme-audit",
                "stint/prod",
                Optional.of(URI.create("http://127.0.0.1:9000")),
                Optional.empty(),
                Optional.of("COMPLIANCE"),
                Optional.of(Duration.ofDays(400))),
            new CheckpointConfig.Webhook(URI.create("https://siem.example.com/cp?token=s3cr3t")));
    assertThat(c.anchors().get(2).id()).isEqualTo("webhook:https://siem.example.com/cp");
    assertThat(c.toString()).doesNotContain("s3cr3t");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{every_events: 0, anchors: [{dir: /x}]}|audit.checkpoints.every_events: expected a whole number of at least 1",
        "{every_seconds: ten, anchors: [{dir: /x}]}|audit.checkpoints.every_seconds: expected a whole number",
        "{verify_every: 0s, anchors: [{dir: /x}]}|audit.checkpoints.verify_every: duration '0s'",
        "{every_events: 10}|audit.checkpoints.anchors: at least one anchor is required",
        "{anchors: []}|audit.checkpoints.anchors: at least one anchor is required",
        "{anchors: [{ftp: /x}]}|audit.checkpoints.anchors[0]: unknown anchor 'ftp'",
        "{anchors: [{dir: /x, webhook: 'https://a.example'}]}|audit.checkpoints.anchors[0]: expected exactly one of",
        "{anchors: [{webhook: 'http://siem.example.com/x?token=s3cr3t'}]}|audit.checkpoints.anchors[0].webhook: must be an https URL",
        "{anchors: [{s3: {bucket: Bad_Bucket}}]}|audit.checkpoints.anchors[0].s3.bucket: expected an S3 bucket name",
        "{anchors: [{s3: {bucket: ok-bucket, object_lock_mode: FOREVER, retention: 1d}}]}|object_lock_mode: expected GOVERNANCE or COMPLIANCE",
        "{anchors: [{s3: {bucket: ok-bucket, object_lock_mode: COMPLIANCE}}]}|object_lock_mode and retention go together",
        "{anchors: [{s3: {bucket: ok-bucket, endpoint: 'http://minio.example.com'}}]}|s3.endpoint: must be an https URL",
        "{anchors: [{s3: {bucket: ok-bucket, acl: public}}]}|unknown key 'acl' in audit.checkpoints.anchors[0].s3",
        "{anchors: [{dir: /x}], every: 5}|unknown key 'every' in audit.checkpoints",
        "{verify_every: 500ms, anchors: [{dir: /x}]}|audit.checkpoints.verify_every:",
        "{anchors: [{s3: {bucket: ok-bucket, object_lock_mode: COMPLIANCE, retention: 99999d}}]}|retention: expected 1d to 36500d",
        "[1, 2]|audit.checkpoints: expected {every_events, every_seconds, anchors: [...]}",
      })
  void mistakesAreRefusedAtLoad(String value, String message) {
    assertThatThrownBy(() -> load("audit:\n  checkpoints: " + value + "\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(message)
        .hasMessageNotContaining("s3cr3t");
  }
}
