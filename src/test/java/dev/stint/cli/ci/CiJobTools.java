package dev.stint.cli.ci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.testing.StintScript;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the tests of docs/ci.md's CI snippets share, whichever CI runs them: the snippets of a
 * section, the tarball a job installs stint from, and the {@code aws} stub a job's last line runs.
 */
public final class CiJobTools {
  private CiJobTools() {}

  /** The YAML code blocks of a Markdown section (from its heading to the next {@code ## }). */
  static List<String> yamlTexts(Path markdown, String heading) throws IOException {
    String text = Files.readString(markdown);
    int start = text.indexOf("\n" + heading + "\n");
    if (start < 0) {
      throw new AssertionError(markdown + " has no section " + heading);
    }
    int end = text.indexOf("\n## ", start + heading.length() + 1);
    String section = text.substring(start, end < 0 ? text.length() : end);
    Matcher blocks = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL).matcher(section);
    List<String> out = new ArrayList<>();
    while (blocks.find()) {
      out.add(blocks.group(1));
    }
    return out;
  }

  /**
   * {@code text} with each match of {@code pattern} (whose group 1 names a value) replaced by that
   * value; a name without one fails the test with {@code unknown}'s message.
   */
  static String substitute(
      Pattern pattern, String text, Map<String, String> values, UnaryOperator<String> unknown) {
    Matcher m = pattern.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = values.get(m.group(1));
      if (value == null) {
        throw new AssertionError(unknown.apply(m.group(1)));
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    return m.appendTail(out).toString();
  }

  /**
   * A tarball laid out like make dist's (one top folder, {@code bin/stint} in it) whose {@code
   * bin/stint} runs this build's CLI; written below {@code root}, and its path returned.
   */
  static Path distTarball(Path root) throws Exception {
    StintScript.write(root.resolve("stint-test/bin/stint"));
    Path archive = root.resolve("stint.tar.gz");
    Process tar =
        new ProcessBuilder("tar", "-czf", archive.toString(), "-C", root.toString(), "stint-test")
            .inheritIO()
            .start();
    assertThat(tar.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(tar.exitValue()).isZero();
    return archive;
  }

  /** A file's SHA-256 as {@code sha256sum} prints it. */
  public static String sha256(Path file) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  /**
   * A folder for the job's PATH with an {@code aws} that writes the {@code AWS_} variables it was
   * given, sorted, to {@code jobDir/aws-saw}: the point is what the job's later lines receive.
   */
  static Path stubs(Path jobDir) throws IOException {
    Path stubs = Files.createDirectories(jobDir.resolve("stubs"));
    stub(stubs, "aws", "env | grep '^AWS_' | sort > '" + jobDir.resolve("aws-saw") + "'");
    return stubs;
  }

  /** An executable {@code name} in {@code stubs} that runs {@code body} in {@code sh}. */
  static void stub(Path stubs, String name, String body) throws IOException {
    Path file = stubs.resolve(name);
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    file.toFile().setExecutable(true);
  }
}
