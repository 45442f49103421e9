package dev.stint.log;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusUtil;
import dev.stint.app.Main;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Logback prints its whole status list (lines naming {@code ch.qos.logback}) on the console as soon
 * as configuring leaves a warning, so each shipped configuration must configure without one; a
 * configuration that does warn still shows, which the last case pins.
 */
class LogbackConfigurationsTest {

  @ParameterizedTest
  @ValueSource(strings = {"logback.xml", Main.CLI_LOGGING})
  void aShippedConfigurationLeavesNoWarningForLogbackToPrint(String resource) throws Exception {
    LoggerContext context = new LoggerContext();
    try (InputStream xml = getClass().getClassLoader().getResourceAsStream(resource)) {
      assertThat(xml).as(resource).isNotNull();
      configure(context, xml);
    }
    assertThat(new StatusUtil(context).getHighestLevel(0))
        .as("%s: %s", resource, context.getStatusManager().getCopyOfStatusList())
        .isLessThan(Status.WARN);
    context.stop();
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "text"})
  void theServersConfigurationTakesEitherFormatWithoutAWarning(String format) throws Exception {
    LoggerContext context = new LoggerContext();
    context.putProperty("stint.log.format", format);
    try (InputStream xml = getClass().getClassLoader().getResourceAsStream("logback.xml")) {
      configure(context, xml);
    }
    assertThat(new StatusUtil(context).getHighestLevel(0))
        .as("%s: %s", format, context.getStatusManager().getCopyOfStatusList())
        .isLessThan(Status.WARN);
    context.stop();
  }

  @Test
  void anAppenderLeftUnusedIsAWarningLogbackWouldPrint() throws Exception {
    String xml =
        "<configuration><appender name=\"UNUSED\" class=\"ch.qos.logback.core.ConsoleAppender\">"
            + "<encoder class=\"dev.stint.log.JsonLogEncoder\"/></appender>"
            + "<root level=\"WARN\"/></configuration>";
    LoggerContext context = new LoggerContext();
    configure(context, new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    assertThat(new StatusUtil(context).getHighestLevel(0)).isEqualTo(Status.WARN);
    context.stop();
  }

  private static void configure(LoggerContext context, InputStream xml)
      throws JoranException, IOException {
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(xml);
  }
}
