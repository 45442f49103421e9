package dev.stint.cli;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * The person at the keyboard, through {@code /dev/tty}: what a tool that captured stdout (the AWS
 * CLI running {@code credential_process}) leaves to them. Questions and progress go here, never to
 * stdout, whose only content stays the final JSON.
 */
public final class Terminal implements AutoCloseable {
  private final BufferedReader in;
  private final PrintWriter out;

  private Terminal(BufferedReader in, PrintWriter out) {
    this.in = in;
    this.out = out;
  }

  /**
   * The controlling terminal, unless there is none (a CI job, a daemon, a pipe) or the person said
   * not to ask ({@code --no-input}, or {@code CI} set in {@code env}, the command's environment, as
   * CI systems do; blank counts as unset, as {@link CliEnvironment#get} reads it).
   */
  public static Optional<Terminal> open(Map<String, String> env, boolean noInput) {
    String ci = env.get("CI");
    if (noInput || (ci != null && !ci.isBlank())) {
      return Optional.empty();
    }
    try {
      FileInputStream read = new FileInputStream("/dev/tty");
      FileOutputStream write;
      try {
        write = new FileOutputStream("/dev/tty");
      } catch (IOException e) {
        read.close();
        return Optional.empty();
      }
      return Optional.of(
          new Terminal(
              new BufferedReader(new InputStreamReader(read, StandardCharsets.UTF_8)),
              new PrintWriter(new OutputStreamWriter(write, StandardCharsets.UTF_8), true)));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Asks, and answers the line typed (empty at the end of input). */
  public String ask(String question) {
    out.print(question);
    out.flush();
    try {
      String line = in.readLine();
      return line == null ? "" : line.strip();
    } catch (IOException e) {
      return "";
    }
  }

  /** A line, with any control character from server data (an approver's comment) blanked. */
  public void say(String line) {
    out.println(Table.sanitize(line));
  }

  /** Rewrites the current line: a progress display that stays one line. */
  public void status(String line) {
    out.print("\r\033[K" + Table.sanitize(line));
    out.flush();
  }

  @Override
  public void close() {
    out.flush();
    try {
      in.close();
    } catch (IOException ignored) {
      // nothing to release beyond the descriptor
    }
    out.close();
  }
}
