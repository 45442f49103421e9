package dev.stint.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code database.url} with {@code database.password_file}: the password from a file (a mounted
 * Secret) rather than inside a URL that sits in an environment variable, which child processes
 * inherit and process listings, crash reports and {@code kubectl describe} show. The file is read
 * once, at boot; its content never appears in a message.
 */
final class DatabaseKeys {
  private DatabaseKeys() {}

  /** The URL, with the file's password when one is given; the rules tying them are checked. */
  static Optional<DatabaseUrl> bind(
      Optional<DatabaseUrl> url,
      Optional<String> filePassword,
      boolean fileGiven,
      List<String> problems) {
    if (!fileGiven) {
      return url;
    }
    if (url.isEmpty()) {
      problems.add(
          ConfigKeys.DATABASE_PASSWORD_FILE.name()
              + " is set without "
              + ConfigKeys.DATABASE_URL.name()
              + " (the embedded database keeps its own password)");
      return url;
    }
    if (!url.get().password().isEmpty()) {
      problems.add(
          ConfigKeys.DATABASE_URL.name()
              + " and "
              + ConfigKeys.DATABASE_PASSWORD_FILE.name()
              + " both give a password; give it once");
      return url;
    }
    return filePassword.map(password -> url.get().withPassword(password)).or(() -> url);
  }

  /**
   * The password in the file at {@code path}, without the line break an editor or {@code echo}
   * leaves at its end. Unreadable or empty files are refused, naming the file only.
   */
  static String readPassword(String path) {
    String text;
    try {
      text = Files.readString(Path.of(path), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("cannot read the database password file '" + path + "'");
    }
    String password =
        text.endsWith("\r\n")
            ? text.substring(0, text.length() - 2)
            : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    if (password.isEmpty()) {
      throw new IllegalArgumentException("the database password file '" + path + "' is empty");
    }
    return password;
  }
}
