package dev.stint.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.cli.CliEnvironment;
import dev.stint.demo.DemoCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code stint demo} is found at run time in the development build, and a build without it (an
 * installed package) says where to run it instead.
 */
class DevelopmentCommandTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @TempDir Path home;

  @Test
  void theDevelopmentBuildOffersTheDemo() {
    // The tests' class path holds the development build, as target/stint-dev.jar does.
    Object demo = Main.development("demo", env(), ServiceLoader.load(DevelopmentCommand.class));
    assertThat(demo).isInstanceOf(CommandLine.class);
    CommandLine line = (CommandLine) demo;
    assertThat((Object) line.getCommand()).isInstanceOf(DemoCommand.class);
    assertThat(line.getSubcommands()).containsKey("agent");
  }

  @Test
  void aBuildWithoutTheDemoSaysWhereToRunIt() {
    CommandLine demo = new CommandLine(Main.development("demo", env(), List.of()));
    int code = demo.execute("--port", "0");
    assertThat(code).isEqualTo(NotInThisBuild.EXIT_ABSENT).isNotZero();
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "stint demo: the demo is not in this build; run it from a checkout with make demo\n");
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void aBuildWithoutTheDemoDoesNotListIt() {
    CommandLine demo = new CommandLine(Main.development("demo", env(), List.of()));
    assertThat(demo.getCommandSpec().usageMessage().hidden()).isTrue();
  }

  @Test
  void anotherDevelopmentCommandIsNotTakenForTheDemo() {
    DevelopmentCommand other =
        new DevelopmentCommand() {
          @Override
          public String name() {
            return "other";
          }

          @Override
          public Object create(CliEnvironment env) {
            return new Object();
          }
        };
    assertThat(Main.development("demo", env(), List.of(other))).isInstanceOf(NotInThisBuild.class);
  }

  private CliEnvironment env() {
    return new CliEnvironment(
        Map.of(),
        home,
        Clock.systemUTC(),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }
}
