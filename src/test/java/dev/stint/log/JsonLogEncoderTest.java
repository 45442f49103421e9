package dev.stint.log;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonLogEncoderTest {

  @Test
  void writesOneJsonObjectPerLineWithTheError() {
    Logger logger = new LoggerContext().getLogger("test.logger");
    LoggingEvent event = new LoggingEvent("fqcn", logger, Level.WARN, "hello {} \"quoted\"\nnext",
        new IllegalStateException("boom"), new Object[] {"world"});
    event.addKeyValuePair(new org.slf4j.event.KeyValuePair("profile", "aws-prod"));
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
}
