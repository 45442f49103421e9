package dev.stint.log;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

class JsonLogEncoderTest {

  @Test
  void writesOneJsonObjectPerLineWithTheError() {
    Logger logger = new LoggerContext().getLogger("test.logger");
    LoggingEvent event =
        new LoggingEvent(
            "fqcn",
            logger,
            Level.WARN,
            "hello {} \"quoted\"\nnext",
            new IllegalStateException("boom"),
            new Object[] {"world"});
    event.addKeyValuePair(new KeyValuePair("profile", "aws-prod"));
    String line = new String(new JsonLogEncoder().encode(event), StandardCharsets.UTF_8);

    assertThat(line).endsWith("\n");
    assertThat(line.strip().lines()).hasSize(1);
    JsonObject json = new JsonObject(line);
    assertThat(json.getString("level")).isEqualTo("WARN");
    assertThat(json.getString("logger")).isEqualTo("test.logger");
    assertThat(json.getString("msg")).isEqualTo("hello world \"quoted\"\nnext");
    assertThat(json.getString("profile")).isEqualTo("aws-prod");
    assertThat(json.getString("error")).contains("IllegalStateException: boom");
    assertThat(json.getString("ts")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    assertThat(json.containsKey("request_id")).isFalse();
  }

  /**
   * A caller's secret-shaped input (a user agent, a profile name) that reaches a log message, a
   * key-value pair or an exception's message is redacted in the line; the rest stays readable.
   */
  @Test
  void secretShapedTextNeverReachesTheLine() {
    String awsSecretShape = "Zq8rT2vLx0Wm4NbY7cHs1KdJf5Gp3Ae9Ru6Vi0Ox";
    String jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2lnbmF0dXJl";
    Logger logger = new LoggerContext().getLogger("test.logger");
    LoggingEvent event =
        new LoggingEvent(
            "fqcn",
            logger,
            Level.WARN,
            "unknown profile '{}'",
            new IllegalArgumentException("bad agent " + jwt),
            new Object[] {awsSecretShape});
    event.addKeyValuePair(new KeyValuePair("user_agent", awsSecretShape));
    String line = new String(new JsonLogEncoder().encode(event), StandardCharsets.UTF_8);

    assertThat(line).doesNotContain(awsSecretShape).doesNotContain(jwt);
    JsonObject json = new JsonObject(line);
    assertThat(json.getString("msg")).isEqualTo("unknown profile '[redacted]'");
    assertThat(json.getString("user_agent")).isEqualTo("[redacted]");
    assertThat(json.getString("error")).contains("IllegalArgumentException: bad agent [redacted]");
  }
}
