package dev.stint.cli;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How this machine opens a link in the user's default browser: {@code $BROWSER} when it names one,
 * else what the system offers ({@code open} on macOS, the URL handler on Windows, {@code xdg-open}
 * elsewhere). A program rather than {@code java.awt.Desktop}: the CLI's runtime then needs no
 * desktop module, and a terminal without a display behaves like one with.
 */
public final class DefaultBrowser {
  private DefaultBrowser() {}

  /** The command to which the link is appended as the last argument. */
  public static List<String> command(Optional<String> browserVariable, String osName) {
    if (browserVariable.isPresent() && !browserVariable.get().isBlank()) {
      return List.of(browserVariable.get());
    }
    String os = osName.toLowerCase(Locale.ROOT);
    if (os.contains("mac")) {
      return List.of("open");
    }
    if (os.contains("windows")) {
      // Hands the link to the registered handler without a shell: no quoting of & in URLs.
      return List.of("rundll32", "url.dll,FileProtocolHandler");
    }
    return List.of("xdg-open");
  }

  /** For this process: its {@code $BROWSER} and operating system. */
  public static List<String> command(CliEnvironment env) {
    return command(env.get("BROWSER"), System.getProperty("os.name", ""));
  }
}
