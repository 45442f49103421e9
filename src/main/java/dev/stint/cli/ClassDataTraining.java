package dev.stint.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The run an install records the CLI's class-data archive from ({@code bin/stint}
 * --record-class-data, run by the packages' install steps): the JVM archives every class a run
 * loads, so this run loads what the daily commands load. It runs them for real, in a temporary
 * home, against an https address on this machine where nothing listens: each parses its arguments,
 * finds its token, builds its HTTP client (TLS and the trust store included), sends and fails to
 * connect, and prints its error; then the usage of every command. Nothing leaves the machine and
 * nothing of the user's is read or written.
 */
public final class ClassDataTraining {
  private static final List<List<String>> RUNS =
      List.of(
          List.of("whoami"),
          List.of("requests"),
          List.of("profiles"),
          List.of("show", "req_training"),
          List.of("credentials", "training", "--no-input"),
          List.of("console", "training"),
          List.of("request", "training", "--reason", "training", "--duration", "1h"),
          List.of("--help"));

  /** Valid, with an expression in each place a policy author writes one. */
  private static final String POLICY =
      """
      issuers:
        corp: {issuer: https://idp.example.com, audience: stint}
      profiles:
        training:
          aws: {role_arn: "arn:aws:iam::111122223333:role/training"}
          max_duration: 1h
          requesters: 'principal.groups.exists(g, g == "eng")'
          approval: {count: 1, approvers: 'principal.groups.exists(g, g == "sre")'}
      """;

  private ClassDataTraining() {}

  public static void main(String[] args) throws IOException {
    Path home = Files.createTempDirectory("stint-training");
    try {
      String server = "https://127.0.0.1:" + closedPort();
      ByteArrayOutputStream sink = new ByteArrayOutputStream();
      PrintStream quiet = new PrintStream(sink, true, StandardCharsets.UTF_8);
      CliEnvironment env =
          new CliEnvironment(
              Map.of("STINT_SERVER", server, "STINT_TOKEN", "training", "HOME", home.toString()),
              home,
              Clock.systemUTC(),
              quiet,
              quiet);
      for (List<String> run : RUNS) {
        String[] words = run.toArray(String[]::new);
        CliCommands.table(env).forArgs(words).execute(words);
      }
      Path policies = Files.createDirectory(home.resolve("policies"));
      Files.writeString(policies.resolve("stint.yaml"), POLICY);
      String[] check = {"policy", "check", policies.toString()};
      int checked = CliCommands.table(env).forArgs(check).execute(check);
      if (checked != 0) {
        throw new IllegalStateException("the training policy does not check: " + sink);
      }
    } finally {
      delete(home);
    }
  }

  /** A loopback port nothing listens on: bound, then closed again. */
  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      files
          .sorted(Comparator.reverseOrder())
          .forEach(
              f -> {
                try {
                  Files.delete(f);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }
}
