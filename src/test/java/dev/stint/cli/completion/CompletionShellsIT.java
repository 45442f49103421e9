package dev.stint.cli.completion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.testing.CliRun;
import dev.stint.testing.FakeStintApi;
import dev.stint.testing.LocalTools;
import dev.stint.testing.TestIdp;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The completion scripts in real bash, zsh and fish, with {@code stint} on the PATH (this
 * checkout's bin/stint, so target/stint.jar must be built) and a fake server: profile names and
 * request ids are offered where they go, and a server that cannot be reached or never answers
 * yields nothing, soon.
 */
class CompletionShellsIT {
  private static final TestIdp IDP = new TestIdp("corp");
  @TempDir static Path dir;
  static FakeStintApi api;

  @BeforeAll
  static void start() throws Exception {
    assertThat(Path.of("target/stint.jar")).as("run 'make build' first").exists();
    Files.createDirectories(dir.resolve("bin"));
    Path stint = dir.resolve("bin/stint");
    Files.writeString(
        stint, "#!/bin/sh\nexec '" + Path.of("bin/stint").toAbsolutePath() + "' \"$@\"\n");
    assertThat(stint.toFile().setExecutable(true)).isTrue();
    for (String shell : List.of("bash", "zsh", "fish")) {
      CliRun run = CliRun.run(dir, Map.of(), "completion", shell);
      assertThat(run.exitCode()).as(run.err()).isZero();
      Files.createDirectories(dir.resolve(shell));
      Files.writeString(
          dir.resolve(shell).resolve(shell.equals("zsh") ? "_stint" : "stint"), run.out());
    }
    api = new FakeStintApi();
    api.answer(
        "/v1/profiles",
        "{\"profiles\":[{\"name\":\"aws-prod-admin\",\"cloud\":\"aws\"},"
            + "{\"name\":\"gcp-dev\",\"cloud\":\"gcp\"}]}");
    api.answer("/v1/requests", "{\"requests\":[{\"id\":\"req_mine\"}]}");
  }

  @AfterAll
  static void stop() {
    api.close();
    IDP.close();
  }

  /** Runs {@code command} with stint on the PATH, pointed at {@code server}; stdout only. */
  private static String run(String server, List<String> command) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .directory(dir.toFile());
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(k -> k.startsWith("STINT_") || k.startsWith("XDG_"));
    env.put("PATH", dir.resolve("bin") + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
    env.put("HOME", dir.toString());
    env.put("XDG_CACHE_HOME", dir.resolve("cache").toString());
    env.put("XDG_CONFIG_HOME", dir.resolve("config").toString());
    env.put("STINT_SERVER", server);
    env.put("STINT_TOKEN", IDP.token("alice", "eng"));
    Process p = builder.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return out;
  }

  /** What bash's completion function offers for the words (the last one being completed). */
  private static String bash(String server, String... words) throws Exception {
    StringBuilder array = new StringBuilder("stint");
    for (String w : words) {
      array.append(" '").append(w).append("'");
    }
    String script =
        "source bash/stint; COMP_WORDS=("
            + array
            + "); COMP_CWORD="
            + words.length
            + "; _stint_complete 2>/dev/null; echo \"${COMPREPLY[*]}\"";
    return run(server, List.of("bash", "-c", script)).strip();
  }

  @Test
  void bashOffersProfileNamesAndRequestIds() throws Exception {
    String server = api.uri().toString();

    assertThat(bash(server, "credentials", "")).isEqualTo("aws-prod-admin gcp-dev");
    assertThat(bash(server, "console", "")).isEqualTo("aws-prod-admin");
    assertThat(bash(server, "credentials", "gc")).isEqualTo("gcp-dev");
    assertThat(bash(server, "cancel", "")).isEqualTo("req_mine");
    assertThat(bash(server, "show", "req_")).isEqualTo("req_mine");
    // Everything else is still picocli's, from the command tree.
    assertThat(bash(server, "cons")).isEqualTo("console");
    assertThat(bash(server, "credentials", "--ser")).isEqualTo("--server");
  }

  @Test
  void zshOffersProfileNamesThroughItsAutoloadedFunction() throws Exception {
    Path zsh = LocalTools.shell("zsh");
    // An interactive zsh on a pseudo-terminal (zpty), _stint autoloaded from fpath as a user's
    // zsh loads it; what it lists after TAB is read back from the terminal.
    String script =
        String.join(
            "\n",
            "zmodload zsh/zpty",
            "zpty z 'zsh -f -i'",
            "zpty -w z 'PS1=\"> \"; fpath=("
                + dir.resolve("zsh")
                + " $fpath);"
                + " autoload -U compinit; compinit -u -D'",
            "sleep 1",
            "zpty -w -n z $'stint credentials \\t'",
            "sleep 8",
            "out=''",
            "while zpty -r -t z chunk; do out+=$chunk; done",
            "print -r -- \"$out\"",
            "zpty -d z");

    String terminal = run(api.uri().toString(), List.of(zsh.toString(), "-f", "-c", script));

    assertThat(terminal).contains("aws-prod-admin").contains("gcp-dev");
  }

  @Test
  void fishOffersProfileNamesAndRequestIds() throws Exception {
    Path fish = LocalTools.shell("fish");
    String server = api.uri().toString();

    String profiles =
        run(
            server,
            List.of(
                fish.toString(),
                "-N",
                "-c",
                "source fish/stint; complete -C 'stint credentials '"));
    String requests =
        run(
            server,
            List.of(fish.toString(), "-N", "-c", "source fish/stint; complete -C 'stint cancel '"));
    String commands =
        run(
            server,
            List.of(fish.toString(), "-N", "-c", "source fish/stint; complete -C 'stint cons'"));

    assertThat(profiles.lines()).containsExactly("aws-prod-admin", "gcp-dev");
    assertThat(requests.lines()).containsExactly("req_mine");
    assertThat(commands).startsWith("console\t");
  }

  @Test
  void aServerThatNeverAnswersYieldsNothingSoon() throws Exception {
    int refusing;
    try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      refusing = closed.getLocalPort();
    }
    Instant start = Instant.now();
    assertThat(bash("http://127.0.0.1:" + refusing, "credentials", "")).isEmpty();
    Duration unreachable = Duration.between(start, Instant.now());
    // Accepted by the kernel, never read: only the client's own timeout ends the wait.
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      start = Instant.now();
      assertThat(bash("http://127.0.0.1:" + silent.getLocalPort(), "credentials", "")).isEmpty();
      Duration waited = Duration.between(start, Instant.now());

      assertThat(waited).isLessThan(unreachable.plus(CompleteCommand.TIMEOUT).plusSeconds(5));
    }
  }
}
