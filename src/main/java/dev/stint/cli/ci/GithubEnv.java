package dev.stint.cli.ci;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * GitHub Actions' {@code $GITHUB_ENV} file and its {@code ::add-mask::} workflow command, written
 * the way the runner reads them. The runner splits the file on line feeds (and on CR LF on
 * Windows), takes {@code NAME=value} up to the end of the line and {@code NAME<<DELIMITER} up to a
 * line equal to the delimiter. So a value with a CR or LF in it goes in the delimiter form, under a
 * random delimiter that does not occur in the value: no value can end its own entry early and start
 * another variable's line.
 */
final class GithubEnv {
  static final String VARIABLE = "GITHUB_ENV";

  private static final SecureRandom RANDOM = new SecureRandom();

  private GithubEnv() {}

  /** A fresh random delimiter, as GitHub's documentation suggests for multiline values. */
  static String randomDelimiter() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return "STINT_EOF_" + HexFormat.of().formatHex(bytes);
  }

  /** Every variable as lines the runner takes literally, in the map's order. */
  static String lines(Map<String, String> variables, Supplier<String> delimiters) {
    StringBuilder out = new StringBuilder();
    variables.forEach(
        (name, value) -> {
          if (value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            out.append(name).append('=').append(value).append('\n');
            return;
          }
          String delimiter = delimiters.get();
          while (value.contains(delimiter)) {
            delimiter = delimiters.get();
          }
          out.append(name).append("<<").append(delimiter).append('\n');
          out.append(value).append('\n').append(delimiter).append('\n');
        });
    return out.toString();
  }

  /**
   * {@code ::add-mask::} commands for the runner to hide these values in every later log line. The
   * value is escaped as GitHub's toolkit escapes command data ({@code %}, CR, LF), so it stays one
   * command line; a value of several lines also has each line masked, because the runner matches
   * secrets line by line.
   */
  static String masks(Iterable<String> secrets) {
    StringBuilder out = new StringBuilder();
    for (String secret : secrets) {
      mask(out, secret);
      if (secret.indexOf('\n') >= 0 || secret.indexOf('\r') >= 0) {
        for (String line : secret.split("\r\n|\r|\n")) {
          mask(out, line);
        }
      }
    }
    return out.toString();
  }

  private static void mask(StringBuilder out, String value) {
    if (value.isBlank()) {
      return; // The runner refuses to mask an empty value; there is nothing to hide.
    }
    String data = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    out.append("::add-mask::").append(data).append('\n');
  }

  /**
   * Appends {@code text} to the file, creating it 0600 when it is missing. A file that does not end
   * in a line feed (an earlier step's {@code echo -n}) gets one first: otherwise the first name
   * would be glued to the value of that step's last variable.
   */
  static void append(Path file, String text) throws IOException {
    Set<StandardOpenOption> options =
        Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE);
    FileAttribute<?>[] owner =
        FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
            ? new FileAttribute<?>[] {
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
            }
            : new FileAttribute<?>[0];
    try (FileChannel channel = FileChannel.open(file, options, owner)) {
      long end = channel.size();
      String body = text;
      if (end > 0) {
        ByteBuffer last = ByteBuffer.allocate(1);
        channel.read(last, end - 1);
        if (last.get(0) != '\n') {
          body = "\n" + text;
        }
      }
      ByteBuffer bytes = ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) {
        end += channel.write(bytes, end);
      }
    }
  }
}
