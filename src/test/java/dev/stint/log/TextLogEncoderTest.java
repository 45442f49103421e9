package dev.stint.log;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

/**
 * {@code STINT_LOG_FORMAT=text} ({@code make run}): lines a person reads, one per event, that no
 * caller's text can split or fill with a secret; {@code json}, or nothing, stays the JSON shippers
 * parse.
 */
class TextLogEncoderTest {
  private static final Logger LOGGER = new LoggerContext().getLogger("dev.stint.app.Server");

  private static String text(LoggingEvent event) {
    LogEncoder encoder = new LogEncoder();
    encoder.setFormat("text");
    return new String(encoder.encode(event), StandardCharsets.UTF_8);
  }

  @Test
  void aLineSaysTimeLevelShortLoggerMessageAndPairs() {
    LoggingEvent event =
        new LoggingEvent(
            "fqcn", LOGGER, Level.INFO, "stint listening on {}", null, new Object[] {"http://x"});
    event.addKeyValuePair(new KeyValuePair("status", "200"));
    event.addKeyValuePair(new KeyValuePair(ContextAsyncAppender.REQUEST_ID, "req-1"));

    String line = text(event);

    assertThat(line)
        .matches(
            "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  Server  stint listening on http://x"
                + " status=200 request_id=req-1\\n")
        .doesNotContain("{");
  }

  @Test
  void aCallersLineBreakCannotForgeALineAndSecretsAreRedacted() {
    String jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2lnbmF0dXJl";
    LoggingEvent event =
        new LoggingEvent(
            "fqcn",
            LOGGER,
            Level.WARN,
            "unknown profile '{}'",
            new IllegalStateException("bad token " + jwt),
            new Object[] {"x\n10:00:00.000 ERROR Server  forged\r"});

    String out = text(event);

    assertThat(out.lines().findFirst().orElseThrow())
        .contains("WARN  Server  unknown profile 'x\\n10:00:00.000 ERROR Server  forged\\r'");
    assertThat(out.lines().skip(1))
        .as("every further line is the indented stack trace")
        .isNotEmpty()
        .allMatch(l -> l.startsWith("    "));
    assertThat(out).contains("IllegalStateException: bad token [redacted]").doesNotContain(jwt);
  }

  @Test
  void anErrorsOwnLineBreakStaysInItsLineAndAValueCannotPassForAnotherField() {
    LoggingEvent event =
        new LoggingEvent(
            "fqcn",
            LOGGER,
            Level.ERROR,
            "refused",
            new IllegalArgumentException(
                "bad profile x\n10:00:00.000 ERROR Server  forged", new IllegalStateException()),
            new Object[0]);
    event.addKeyValuePair(new KeyValuePair("profile", "x request_id=forged"));

    String out = text(event);

    assertThat(out.lines().findFirst().orElseThrow())
        .endsWith("refused profile=\"x request_id=forged\"");
    assertThat(out.lines().skip(1).toList())
        .contains(
            "    java.lang.IllegalArgumentException: bad profile x\\n10:00:00.000 ERROR Server "
                + " forged",
            "    Caused by: java.lang.IllegalStateException")
        .allMatch(l -> l.startsWith("    "))
        .noneMatch(l -> l.startsWith("10:00:00.000"));
  }

  @Test
  void jsonStaysTheDefaultAndAnUnknownFormatIsJson() {
    LoggingEvent event = new LoggingEvent("fqcn", LOGGER, Level.INFO, "hello", null, null);
    for (String format : new String[] {null, "json", "yaml"}) {
      LogEncoder encoder = new LogEncoder();
      if (format != null) {
        encoder.setFormat(format);
      }
      assertThat(new String(encoder.encode(event), StandardCharsets.UTF_8))
          .as(String.valueOf(format))
          .startsWith("{\"ts\":")
          .contains("\"msg\":\"hello\"");
    }
    assertThat(LogEncoder.known("text")).isTrue();
    assertThat(LogEncoder.known("json")).isTrue();
    assertThat(LogEncoder.known("yaml")).isFalse();
  }
}
