package dev.stint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code ~} is {@code $HOME}, as for the AWS CLI, ssh and git: the account's home only when {@code
 * HOME} is unset, blank or not an absolute path; on Windows, {@code %USERPROFILE%}.
 */
class CliHomeTest {
  private static final String ACCOUNT = "/home/account";

  @Test
  void homeSetElsewhereIsTheOneUsed() {
    assertThat(CliEnvironment.home(Map.of("HOME", "/tmp/runner"), "Linux", ACCOUNT))
        .isEqualTo(Path.of("/tmp/runner"));
    assertThat(CliEnvironment.home(Map.of("HOME", "/Users/ci"), "Mac OS X", ACCOUNT))
        .isEqualTo(Path.of("/Users/ci"));
  }

  @Test
  void theAccountsHomeOnlyWhenHomeIsUnsetBlankOrRelative() {
    assertThat(CliEnvironment.home(Map.of(), "Linux", ACCOUNT)).isEqualTo(Path.of(ACCOUNT));
    assertThat(CliEnvironment.home(Map.of("HOME", "  "), "Linux", ACCOUNT))
        .isEqualTo(Path.of(ACCOUNT));
    assertThat(CliEnvironment.home(Map.of("HOME", "relative/dir"), "Linux", ACCOUNT))
        .isEqualTo(Path.of(ACCOUNT));
  }

  @Test
  void windowsTakesUserprofileNotHome() {
    assertThat(
            CliEnvironment.home(
                Map.of("HOME", "/tmp/msys-home", "USERPROFILE", "/profiles/dana"),
                "Windows 11",
                ACCOUNT))
        .isEqualTo(Path.of("/profiles/dana"));
    assertThat(CliEnvironment.home(Map.of("HOME", "/tmp/msys-home"), "Windows 11", ACCOUNT))
        .isEqualTo(Path.of(ACCOUNT));
  }

  @Test
  void everyFileTheCliKeepsIsUnderThatHome() {
    Path home = CliEnvironment.home(Map.of("HOME", "/tmp/runner"), "Linux", ACCOUNT);
    CliEnvironment env =
        new CliEnvironment(Map.of(), home, Clock.systemUTC(), System.out, System.err);
    assertThat(env.configDir()).isEqualTo(Path.of("/tmp/runner/.config/stint"));
    assertThat(env.cacheDir()).isEqualTo(Path.of("/tmp/runner/.cache/stint"));
  }
}
