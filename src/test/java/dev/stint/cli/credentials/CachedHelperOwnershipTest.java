package dev.stint.cli.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.cli.PrivateFiles;
import dev.stint.testing.LocalTools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The launcher's stint-cached (src/main/c, built with the Makefile's flags) serves only files its
 * own account owns, for whoever runs the tests: only root can give a file away, so instead the
 * helper is also built with its {@code geteuid} replaced by a shim that answers another account
 * from the call an environment variable names. The helper checks the login marker, then the cache
 * directory, then the entry; each of them the helper takes for someone else's must make it fall
 * through (exit 1, nothing printed), and the same files taken for its own are served.
 */
class CachedHelperOwnershipTest {
  private static final List<String> FLAGS =
      List.of("-std=c11", "-Wall", "-Wextra", "-pedantic", "-Werror", "-O2");
  private static final String SERVER = "http://127.0.0.1:9";
  private static final String PROFILE = "aws-prod-admin";
  private static final String ALICE = CacheOwner.of("https://login.example.com", "alice");

  /**
   * A stand-in for {@code geteuid}: the first STINT_TEST_OWN_CALLS calls answer the real effective
   * uid, every later one the next uid (another account); unset, every call answers the real one.
   */
  private static final String SHIM =
      """
      #define _POSIX_C_SOURCE 200809L
      #include <stdlib.h>
      #include <sys/types.h>
      #include <unistd.h>

      uid_t stint_test_euid(void);

      uid_t stint_test_euid(void) {
        static long calls;
        const char *own = getenv("STINT_TEST_OWN_CALLS");
        uid_t me = geteuid();
        if (own == NULL || calls++ < strtol(own, NULL, 10)) {
          return me;
        }
        return me + 1;
      }
      """;

  @TempDir static Path build;
  static Path helper;
  static Path shimmed;

  @TempDir Path tmp;
  Path cacheHome;
  Path configHome;
  String json;

  @BeforeAll
  static void compile() throws Exception {
    Path cc = LocalTools.cc();
    helper = build.resolve("stint-cached");
    run(cc, "-o", helper.toString(), "src/main/c/stint-cached.c");
    Path shim = build.resolve("euid-shim.c");
    Files.writeString(shim, SHIM);
    run(cc, "-c", "-o", build.resolve("euid-shim.o").toString(), shim.toString());
    shimmed = build.resolve("stint-cached-shimmed");
    run(
        cc,
        "-Dgeteuid=stint_test_euid",
        "-o",
        shimmed.toString(),
        "src/main/c/stint-cached.c",
        build.resolve("euid-shim.o").toString());
  }

  private static void run(Path cc, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(cc.toString()));
    command.addAll(FLAGS);
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(String.join(" ", command) + "\n" + log).isZero();
  }

  /** Alice logged in, and her entry cached, private and current, as stint writes them. */
  @BeforeEach
  void cached() throws Exception {
    cacheHome = tmp.resolve("cache");
    configHome = tmp.resolve("config");
    PrivateFiles.write(configHome.resolve("stint/login.owner"), ALICE);
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    json =
        "{\"Version\":1,\"AccessKeyId\":\"ASIACACHED\",\"SecretAccessKey\":\"s\","
            + "\"SessionToken\":\"t\",\"Expiration\":\""
            + now.plus(Duration.ofHours(1))
            + "\",\"grant_id\":\"g-7\",\"credential_id\":\"crd_7\",\"owner\":\""
            + ALICE
            + "\",\"checked_until\":\""
            + now.plus(Duration.ofMinutes(30))
            + "\"}\n";
    assertThat(new CredentialCache(cacheHome.resolve("stint")).write(SERVER, PROFILE, json, now))
        .isTrue();
  }

  /** The helper's exit status and what it printed. */
  private record Served(int exit, String out) {}

  private Served helper(Path binary, Map<String, String> extra) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(binary.toString(), "credentials", PROFILE, "--server", SERVER)
            .redirectError(ProcessBuilder.Redirect.DISCARD);
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(k -> k.startsWith("STINT_") || k.startsWith("XDG_"));
    env.put("XDG_CACHE_HOME", cacheHome.toString());
    env.put("XDG_CONFIG_HOME", configHome.toString());
    env.putAll(extra);
    Process p = builder.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Served(p.exitValue(), out);
  }

  @Test
  void filesOfItsOwnAccountAreServedByTheRealBuildAndTheShimmedOne() throws Exception {
    assertThat(helper(helper, Map.of())).isEqualTo(new Served(0, json));
    assertThat(helper(shimmed, Map.of())).isEqualTo(new Served(0, json));
    assertThat(helper(shimmed, Map.of("STINT_TEST_OWN_CALLS", "3")))
        .as("the marker, the directory and the entry, each its own")
        .isEqualTo(new Served(0, json));
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource({
    "0, the login marker is another account's",
    "1, the cache directory is another account's",
    "2, the entry is another account's"
  })
  void whatAnotherAccountOwnsFallsThrough(String ownCalls, String what) throws Exception {
    assertThat(helper(shimmed, Map.of("STINT_TEST_OWN_CALLS", ownCalls)))
        .as(what)
        .isEqualTo(new Served(1, ""));
  }
}
