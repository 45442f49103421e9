package dev.stint.cli.credentials;

import dev.stint.cli.CliException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The command line that opens a console link: in a named browser, a named profile of it
 * (Chromium-family {@code --profile-directory=}, Firefox {@code -P}), or a Firefox container
 * through the "Open external links in a container" extension's {@code ext+container:} links, so
 * that several accounts stay signed in side by side. Pure: it starts nothing.
 */
record BrowserCommand(
    Optional<String> browser, Optional<String> profile, Optional<String> container) {

  /** Which kind of browser a command is, from its file name. */
  enum Family {
    FIREFOX,
    CHROMIUM,
    OTHER
  }

  static Family family(String browser) {
    String name = Path.of(browser).getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.contains("firefox") || name.contains("librewolf")) {
      return Family.FIREFOX;
    }
    if (name.contains("chrom")
        || name.contains("brave")
        || name.contains("edge")
        || name.contains("vivaldi")) {
      return Family.CHROMIUM;
    }
    return Family.OTHER;
  }

  /** Whether any flag asks for a particular browser, profile or container. */
  boolean chosen() {
    return browser.isPresent() || profile.isPresent() || container.isPresent();
  }

  /** The command for {@code url}; {@code fallback} is the default browser when none is named. */
  List<String> command(String url, List<String> fallback) {
    if (!chosen()) {
      List<String> command = new ArrayList<>(fallback);
      command.add(url);
      return command;
    }
    String program = browser.orElse(container.isPresent() ? "firefox" : "");
    if (program.isEmpty()) {
      throw new CliException(
          CliException.USAGE,
          "--browser-profile needs --browser NAME" + " (chromium, google-chrome, firefox, ...)");
    }
    Family family = family(program);
    List<String> command = new ArrayList<>(List.of(program));
    if (profile.isPresent()) {
      switch (family) {
        case CHROMIUM -> command.add("--profile-directory=" + profile.get());
        case FIREFOX -> command.addAll(List.of("-P", profile.get()));
        default ->
            throw new CliException(
                CliException.USAGE,
                "--browser-profile works with"
                    + " Chromium-family browsers and Firefox; "
                    + program
                    + " is neither");
      }
    }
    if (container.isPresent()) {
      if (family != Family.FIREFOX) {
        throw new CliException(
            CliException.USAGE,
            "--container needs Firefox (containers are"
                + " a Firefox feature); "
                + program
                + " is not Firefox");
      }
      command.add("ext+container:name=" + encode(container.get()) + "&url=" + encode(url));
    } else {
      command.add(url);
    }
    return command;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
