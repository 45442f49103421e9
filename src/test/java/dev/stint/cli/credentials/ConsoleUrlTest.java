package dev.stint.cli.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stint.cli.CliException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Only a well-formed https link (http to this machine) is printed or handed to a browser: on
 * Windows the link goes to the system's URL handler, which opens whatever a string names.
 */
class ConsoleUrlTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://signin.aws.amazon.com/federation?Action=login&SigninToken=abc&Destination=x",
        "https://signin.amazonaws-us-gov.com/federation?Action=login",
        "http://127.0.0.1:8443/federation?Action=login"
      })
  void aConsoleLinkIsPassedOnAsAnswered(String url) {
    assertThat(ConsoleCommand.consoleUrl(url)).isEqualTo(url);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "file:///C:/Windows/System32/calc.exe",
        "javascript:alert(1)",
        "ms-settings:",
        "http://signin.example.com/federation",
        "https://signin.aws.amazon.com/a b",
        "https://signin.aws.amazon.com/\"&calc",
        "https:///no-host",
        "\\\\server\\share\\run.exe"
      })
  void anythingElseIsRefused(String url) {
    assertThatThrownBy(() -> ConsoleCommand.consoleUrl(url))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("no console URL");
  }
}
