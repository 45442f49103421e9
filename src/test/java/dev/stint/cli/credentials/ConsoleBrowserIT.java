package dev.stint.cli.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.cli.CliException;
import dev.stint.testing.CliRun;
import dev.stint.testing.FakeStintApi;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code stint console} flags: what is sent to the server, and the exact command a named browser,
 * browser profile or Firefox container is started with (stand-in browsers record their arguments).
 * Refused combinations fail before the server is asked for a link.
 */
class ConsoleBrowserIT {
  private static final String LINK =
      "https://signin.amazonaws-us-gov.com/federation?Action=login"
          + "&Destination=https%3A%2F%2Fconsole.amazonaws-us-gov.com%2F&SigninToken=t";
  @TempDir Path home;
  private FakeStintApi api;

  @BeforeEach
  void start() throws Exception {
    api = new FakeStintApi();
    api.answer("/v1/console", "{\"url\":\"" + LINK + "\",\"expires_at\":\"2026-11-23T11:00:00Z\"}");
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private Map<String, String> env() {
    return new HashMap<>(Map.of("STINT_SERVER", api.uri().toString(), "STINT_TOKEN", "t"));
  }

  /** A stand-in browser called NAME that writes its arguments, one a line. */
  private Path browser(String name) throws Exception {
    Path dir = home.resolve("browsers");
    Files.createDirectories(dir);
    Path script = dir.resolve(name);
    Files.writeString(
        script,
        "#!/bin/sh\nfor a; do printf '%s\\n' \"$a\"; done > '" + dir.resolve("args") + "'\n");
    script.toFile().setExecutable(true);
    return script;
  }

  private List<String> argsSeen() throws Exception {
    return Files.readAllLines(home.resolve("browsers/args"));
  }

  @Test
  void sendsThePathDestinationAndRegion() {
    CliRun run =
        CliRun.run(
            home,
            env(),
            "console",
            "gov",
            "--destination",
            "/s3/home",
            "--region",
            "us-gov-west-1");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo(LINK + "\n");
    assertThat(api.received())
        .singleElement()
        .extracting(FakeStintApi.Received::body)
        .isEqualTo(
            "{\"profile\":\"gov\",\"destination\":\"/s3/home\",\"region\":\"us-gov-west-1\"}");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "chromium | --browser-profile=Work | --profile-directory=Work",
        "google-chrome | --browser-profile=Profile 2 | --profile-directory=Profile 2",
        "firefox | --browser-profile=work | -P,work"
      })
  void opensTheLinkInANamedBrowserProfile(String name, String flag, String expected)
      throws Exception {
    Path script = browser(name);

    CliRun run = CliRun.run(home, env(), "console", "gov", "--browser", script.toString(), flag);

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).isEmpty();
    List<String> args = new ArrayList<>(List.of(expected.split(",")));
    args.add(LINK);
    assertThat(argsSeen()).containsExactlyElementsOf(args);
    assertThat(run.err()).startsWith("Opened the AWS console for gov");
  }

  @Test
  void opensTheLinkInAFirefoxContainer() throws Exception {
    Path script = browser("firefox-esr");

    CliRun run =
        CliRun.run(
            home,
            env(),
            "console",
            "gov",
            "--browser",
            script.toString(),
            "--container",
            "gov admin&co");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(argsSeen())
        .containsExactly(
            "ext+container:name=gov%20admin%26co&url="
                + URLEncoder.encode(LINK, StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "chromium | --container=x | --container needs Firefox",
        "opera | --browser-profile=x | --browser-profile works with Chromium-family browsers and Firefox",
        " | --browser-profile=x | --browser-profile needs --browser NAME",
        " | --destination=ftp://console.aws.amazon.com/ | --destination must be a console path",
        " | --destination=s3/home | --destination must be a console path"
      })
  void refusesUnusableCombinationsBeforeAskingTheServer(String name, String flag, String reason)
      throws Exception {
    List<String> args = new ArrayList<>(List.of("console", "gov", flag));
    if (name != null) {
      args.addAll(List.of("--browser", browser(name).toString()));
    }

    CliRun run = CliRun.run(home, env(), args.toArray(String[]::new));

    assertThat(run.exitCode()).isEqualTo(CliException.USAGE);
    assertThat(run.err()).contains(reason);
    assertThat(api.received()).isEmpty();
    assertThat(home.resolve("browsers/args")).doesNotExist();
  }
}
