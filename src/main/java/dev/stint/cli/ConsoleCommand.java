package dev.stint.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stint console PROFILE [--destination URL] [--open]}: an AWS console sign-in link for the
 * active grant. The link is itself a credential for 15 minutes: printed to stdout only, or handed
 * to the browser ({@code $BROWSER}, else {@code xdg-open} / {@code open}) with {@code --open}.
 */
@Command(name = "console", description = "Print (or open) an AWS console sign-in link for PROFILE.")
public final class ConsoleCommand implements Callable<Integer> {
  @Mixin
  ServerOptions server = new ServerOptions();

  @Parameters(index = "0", paramLabel = "PROFILE", description = "An AWS profile you hold a grant for.")
  String profile;

  @Option(names = "--destination", paramLabel = "URL",
      description = "Console page to land on (an https URL on console.aws.amazon.com).")
  String destination;

  @Option(names = "--open", description = "Open the link in the browser instead of printing it.")
  boolean open;

  private final CliEnvironment env;
  private final TokenSource tokens;

  public ConsoleCommand(CliEnvironment env, TokenSource tokens) {
    this.env = env;
    this.tokens = tokens;
  }

  @Override
  public Integer call() {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("profile", profile);
    if (destination != null) {
      body.put("destination", destination);
    }
    URI serverUrl = server.serverUrl(env);
    JsonNode answer = new ApiClient(serverUrl, tokens.token(server), server.insecure()).post("/v1/console", body).body();
    String url = answer.path("url").asText("");
    if (!url.startsWith("https://") && !url.startsWith("http://")) {
      throw new CliException(CliException.UNAVAILABLE, "stint answered no console URL");
    }
    String expires = answer.path("expires_at").asText("");
    if (!open) {
      env.out().println(url);
      return 0;
    }
    browse(url);
    env.err().println("Opened the AWS console for " + profile
        + (expires.isEmpty() ? "" : " (session until " + expires + ")"));
    return 0;
  }

  private void browse(String url) {
    List<String> command = env.get("BROWSER").map(b -> List.of(b, url)).orElseGet(() ->
        System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("mac")
            ? List.of("open", url) : List.of("xdg-open", url));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (p.waitFor() != 0) {
        throw new CliException(CliException.FAILED, "could not open a browser (" + command.get(0)
            + " failed); run without --open to print the link");
      }
    } catch (IOException e) {
      throw new CliException(CliException.FAILED, "could not open a browser (" + command.get(0)
          + " not found); run without --open to print the link");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(CliException.FAILED, "interrupted");
    }
  }
}
