package dev.stint.cli.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.cli.ApiClient;
import dev.stint.cli.CliEnvironment;
import dev.stint.cli.CliException;
import dev.stint.cli.DefaultBrowser;
import dev.stint.cli.ParameterOptions;
import dev.stint.cli.ServerOptions;
import dev.stint.cli.TokenSource;
import dev.stint.common.SecureUrls;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stint console PROFILE [--destination PAGE] [--region R] [--open | --browser B
 * [--browser-profile P] | --container C]}: an AWS console sign-in link for the active grant, on the
 * console of the role's partition (the server decides which). The link is itself a credential for
 * 15 minutes: printed to stdout only, or handed to a browser ({@code $BROWSER}, else {@code
 * xdg-open} / {@code open}, or the one named).
 */
@Command(
    name = "console",
    description = {
      "Print (or open) an AWS console sign-in link for PROFILE, on the console of its role's"
          + " partition (aws, aws-us-gov, aws-cn).",
      "--browser, --browser-profile and --container open it; each account can keep its own"
          + " browser profile or Firefox container, signed in side by side."
    })
public final class ConsoleCommand implements Callable<Integer> {
  @Mixin ServerOptions server = new ServerOptions();

  @Mixin ParameterOptions parameters = new ParameterOptions();

  @Parameters(
      index = "0",
      paramLabel = "PROFILE",
      description = "An AWS profile you hold a grant for.")
  String profile;

  @Option(
      names = "--destination",
      paramLabel = "PAGE",
      description =
          "Console page to land on: a path (/s3/home) or an https URL on the console"
              + " of the role's partition; anything else is refused.")
  String destination;

  @Option(names = "--region", paramLabel = "R", description = "Open the console in region R.")
  String region;

  @Option(names = "--open", description = "Open the link in the browser instead of printing it.")
  boolean open;

  @Option(
      names = "--browser",
      paramLabel = "NAME",
      description = "Open it with this browser command (firefox, chromium, google-chrome, ...).")
  String browser;

  @Option(
      names = "--browser-profile",
      paramLabel = "NAME",
      description =
          "Open it in this"
              + " browser profile (Chromium: the profile directory, Firefox: the profile name).")
  String browserProfile;

  @Option(
      names = "--container",
      paramLabel = "NAME",
      description =
          "Open it in this Firefox"
              + " container (needs the 'Open external links in a container' extension).")
  String container;

  private static final Duration BROWSER_HANDOFF = Duration.ofSeconds(5);

  private final CliEnvironment env;
  private final TokenSource tokens;

  public ConsoleCommand(CliEnvironment env, TokenSource tokens) {
    this.env = env;
    this.tokens = tokens;
  }

  @Override
  public Integer call() {
    Map<String, String> values = parameters.values();
    if (destination != null
        && !destination.startsWith("/")
        && !destination.startsWith("https://")) {
      throw new CliException(
          CliException.USAGE,
          "--destination must be a console path (/s3/home)" + " or an https URL on the console");
    }
    BrowserCommand where =
        new BrowserCommand(
            Optional.ofNullable(browser),
            Optional.ofNullable(browserProfile),
            Optional.ofNullable(container));
    // Refuses unusable flag combinations before a session is minted for nothing.
    where.command("https://example.invalid/", List.of());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("profile", profile);
    if (!values.isEmpty()) {
      body.put("parameters", values);
    }
    if (destination != null) {
      body.put("destination", destination);
    }
    if (region != null) {
      body.put("region", region);
    }
    URI serverUrl = server.serverUrl(env);
    JsonNode answer;
    try {
      answer =
          new ApiClient(serverUrl, tokens.token(server), server.insecure())
              .post("/v1/console", body)
              .body();
    } catch (CliException e) {
      throw ParameterOptions.explained(e, profile);
    }
    String url = consoleUrl(answer.path("url").asText(""));
    String expires = answer.path("expires_at").asText("");
    if (!open && !where.chosen()) {
      env.out().println(url);
      return 0;
    }
    browse(where.command(url, DefaultBrowser.command(env)));
    env.err()
        .println(
            "Opened the AWS console for "
                + profile
                + (expires.isEmpty() ? "" : " (session until " + expires + ")"));
    return 0;
  }

  /**
   * The link as a browser may be handed it: a well-formed https URL (http only to this machine, for
   * the demo's sign-in stand-in). On Windows the link goes to the system's URL handler, which opens
   * whatever a string names, so nothing else is ever passed on.
   */
  static String consoleUrl(String answered) {
    try {
      URI url = new URI(answered);
      if (url.getHost() != null && SecureUrls.httpsOrLoopback(url)) {
        return url.toString();
      }
    } catch (URISyntaxException e) {
      // refused below, like any other answer that is not a console link
    }
    throw new CliException(CliException.UNAVAILABLE, "stint answered no console URL");
  }

  private void browse(List<String> command) {
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      // A launcher (xdg-open, or a browser handing the link to its running instance) exits at
      // once; a browser that was not running yet stays in the foreground and is left running.
      if (p.waitFor(BROWSER_HANDOFF.toMillis(), TimeUnit.MILLISECONDS) && p.exitValue() != 0) {
        throw new CliException(
            CliException.FAILED,
            "could not open a browser ("
                + command.get(0)
                + " failed); run without --open to print the link");
      }
    } catch (IOException e) {
      throw new CliException(
          CliException.FAILED,
          "could not open a browser ("
              + command.get(0)
              + " not found); run without --open to print the link");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(CliException.FAILED, "interrupted");
    }
  }
}
