package dev.stint.cli.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stint.cli.CliEnvironment;
import dev.stint.cli.PrivateFiles;
import dev.stint.common.Fingerprints;
import dev.stint.testing.CliRun;
import dev.stint.testing.FakeStintApi;
import dev.stint.testing.LocalTools;
import dev.stint.testing.TestIdp;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real launcher (bin/stint) with its stint-cached helper compiled from src/main/c, installed in
 * a temporary directory beside a stand-in {@code java} that only reports how it was started: a
 * served answer never reaches it, and everything else must. Alice is logged in (her marker is in
 * the config directory) unless a test says otherwise.
 */
class LauncherCachedPathIT {
  private static final String SERVER = "http://127.0.0.1:9";
  private static final String PROFILE = "aws-prod-admin";
  private static final String ISSUER = "https://login.example.com";
  private static final String ALICE = Fingerprints.sha256(ISSUER + "\n" + "alice");
  private static final String BOB = Fingerprints.sha256(ISSUER + "\n" + "bob");
  @TempDir Path tmp;
  private Path root;
  private Path cacheHome;
  private Path configHome;

  @BeforeEach
  void install() throws Exception {
    Path cc = LocalTools.cc();
    root = tmp.resolve("stint");
    Files.createDirectories(root.resolve("bin"));
    Files.createDirectories(root.resolve("target"));
    Files.copy(Path.of("bin/stint"), root.resolve("bin/stint"), StandardCopyOption.COPY_ATTRIBUTES);
    Files.writeString(root.resolve("target/stint.jar"), "");
    Process compile =
        new ProcessBuilder(
                cc.toString(),
                "-O2",
                "-Wall",
                "-Werror",
                "-o",
                root.resolve("target/stint-cached").toString(),
                "src/main/c/stint-cached.c")
            .redirectErrorStream(true)
            .start();
    String log = new String(compile.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(compile.waitFor()).as(log).isZero();
    Path java = tmp.resolve("jdk/bin/java");
    Files.createDirectories(java.getParent());
    Files.writeString(
        java,
        "#!/bin/sh\nprintf 'JVM'\nfor a; do printf ' %s' \"$a\"; done\n"
            + "printf '\\nSTINT_COMMAND=%s' \"$STINT_COMMAND\"\n");
    java.toFile().setExecutable(true);
    cacheHome = tmp.resolve("cache");
    configHome = tmp.resolve("config");
    loggedIn(ALICE);
  }

  /** The marker {@code stint login} leaves: whose cached entries may be served. */
  private Path loggedIn(String owner) throws Exception {
    Path marker = configHome.resolve("stint/login.owner");
    PrivateFiles.write(marker, owner);
    return marker;
  }

  private static String processJson(Instant expiration) {
    return processJson(expiration, ALICE);
  }

  private static String processJson(Instant expiration, String owner) {
    return "{\"Version\":1,\"AccessKeyId\":\"ASIACACHED\",\"SecretAccessKey\":\"s3cr3t/+=\","
        + "\"SessionToken\":\"tok\\\"en\",\"Expiration\":\""
        + expiration
        + "\",\"grant_id\":\"g-7\""
        + (owner == null ? "" : ",\"owner\":\"" + owner + "\"")
        + ",\"checked_until\":\""
        + CHECKED
        + "\"}\n";
  }

  /** Far enough ahead that no test's entry is due for its check, unless it says otherwise. */
  private static final Instant CHECKED =
      Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);

  private Path store(String profile, String json) throws Exception {
    CredentialCache cache = new CredentialCache(cacheHome.resolve("stint"));
    Path file = cache.file(SERVER, profile).orElseThrow();
    PrivateFiles.ensurePrivateDir(cacheHome.resolve("stint"));
    PrivateFiles.write(file, json);
    return file;
  }

  private String launcher(String... args) throws Exception {
    return launcher(root.resolve("bin/stint"), args);
  }

  private String launcher(Path stint, String... args) throws Exception {
    return launcher(stint, Map.of(), args);
  }

  private String launcher(Path stint, Map<String, String> extra, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(stint.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
    Map<String, String> env = builder.environment();
    env.keySet()
        .removeIf(k -> k.startsWith("STINT_") || k.startsWith("XDG_") || k.equals("JAVA_HOME"));
    env.put("JAVA_HOME", tmp.resolve("jdk").toString());
    env.put("XDG_CACHE_HOME", cacheHome.toString());
    env.put("XDG_CONFIG_HOME", configHome.toString());
    env.put("STINT_SERVER", SERVER);
    env.putAll(extra);
    Process p = builder.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    return out;
  }

  /** What the JVM's own cached path prints for the same arguments, or null when it does not. */
  private String java(String... args) {
    return java(Map.of(), args);
  }

  private String java(Map<String, String> extra, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Map<String, String> vars =
        new HashMap<>(
            Map.of(
                "XDG_CACHE_HOME",
                cacheHome.toString(),
                "XDG_CONFIG_HOME",
                configHome.toString(),
                "STINT_SERVER",
                SERVER));
    vars.putAll(extra);
    CliEnvironment env =
        new CliEnvironment(
            vars,
            tmp,
            Clock.systemUTC(),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            System.err);
    return CachedCredentials.print(args, env) ? out.toString(StandardCharsets.UTF_8) : null;
  }

  /** What the stand-in java prints: its arguments, and the path setup aws will write. */
  private String jvmStarted(String... args) {
    return "JVM -XX:TieredStopAtLevel=1 -jar "
        + root.resolve("bin/../target/stint.jar")
        + " "
        + String.join(" ", args)
        + "\nSTINT_COMMAND="
        + root.resolve("bin/stint");
  }

  /**
   * Without XDG directories the helper looks under {@code $HOME}, as the JVM does ({@code
   * CliEnvironment.home}), not under the account's home from the passwd entry: with HOME pointed
   * elsewhere, alice's marker and entry there are served, and nothing of the account's home is.
   */
  @Test
  void withoutXdgDirectoriesTheHelperLooksUnderHome() throws Exception {
    Path runner = tmp.resolve("runner");
    PrivateFiles.write(runner.resolve(".config/stint/login.owner"), ALICE);
    String json = processJson(Instant.now().plus(Duration.ofHours(1)));
    new CredentialCache(runner.resolve(".cache/stint")).write(SERVER, PROFILE, json, Instant.now());
    Map<String, String> home =
        Map.of("HOME", runner.toString(), "XDG_CACHE_HOME", "", "XDG_CONFIG_HOME", "");

    assertThat(launcher(root.resolve("bin/stint"), home, "credentials", PROFILE)).isEqualTo(json);
    Map<String, String> elsewhere =
        Map.of(
            "HOME", tmp.resolve("empty").toString(), "XDG_CACHE_HOME", "", "XDG_CONFIG_HOME", "");
    assertThat(launcher(root.resolve("bin/stint"), elsewhere, "credentials", PROFILE))
        .isEqualTo(jvmStarted("credentials", PROFILE));
  }

  @Test
  void startedThroughASymlinkItFindsItsHelperAndNamesTheScriptItself() throws Exception {
    String json = processJson(Instant.now().plus(Duration.ofHours(1)));
    new CredentialCache(cacheHome.resolve("stint")).write(SERVER, PROFILE, json, Instant.now());
    Path link = tmp.resolve("path/stint");
    Files.createDirectories(link.getParent());
    Files.createSymbolicLink(link, root.resolve("bin/stint"));

    assertThat(launcher(link, "credentials", PROFILE)).isEqualTo(json);
    assertThat(launcher(link, "--version"))
        .isEqualTo(
            "JVM -XX:TieredStopAtLevel=1 -jar "
                + root.toRealPath().resolve("bin/../target/stint.jar")
                + " --version\nSTINT_COMMAND="
                + root.toRealPath().resolve("bin/stint"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "credentials aws-prod-admin",
        "credentials --server http://127.0.0.1:9/ aws-prod-admin",
        "credentials --server=http://127.0.0.1:9 aws-prod-admin",
        "credentials aws-prod-admin --server http://127.0.0.1:9"
      })
  void servesTheSameBytesAsTheJavaPathWithoutAJvm(String line) throws Exception {
    String json = processJson(Instant.now().plus(Duration.ofHours(1)));
    new CredentialCache(cacheHome.resolve("stint")).write(SERVER, PROFILE, json, Instant.now());
    String[] args = line.split(" ");

    String served = launcher(args);

    assertThat(served).isEqualTo(json).isEqualTo(java(args));
  }

  /**
   * The entry the full command writes is served by the helper as the bytes that command printed,
   * final newline included.
   */
  @Test
  void servesWhatTheUncachedCommandPrintedNewlineIncluded() throws Exception {
    String expiration =
        Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS) + "";
    try (FakeStintApi api = new FakeStintApi();
        TestIdp idp = new TestIdp("corp")) {
      api.answer(
          "/v1/credentials",
          "{\"cloud\":\"aws\",\"access_key_id\":\"ASIAUNCACHED\",\"secret_access_key\":\"s\","
              + "\"session_token\":\"t\",\"expiration\":\""
              + expiration
              + "\",\"grant_id\":\"g-1\"}");
      Map<String, String> server = Map.of("STINT_SERVER", api.uri().toString());
      Map<String, String> env = new HashMap<>(server);
      env.put("STINT_TOKEN", idp.token("alice", "eng"));
      env.put("XDG_CACHE_HOME", cacheHome.toString());
      env.put("XDG_CONFIG_HOME", configHome.toString());
      CliRun uncached = CliRun.run(tmp, env, "credentials", PROFILE);
      assertThat(uncached.exitCode()).as(uncached.err()).isZero();
      loggedIn(CacheOwner.of(idp.issuer(), "alice"));

      String served = launcher(root.resolve("bin/stint"), server, "credentials", PROFILE);

      assertThat(uncached.out()).contains("ASIAUNCACHED").endsWith("}\n");
      assertThat(served).isEqualTo(uncached.out());
      assertThat(api.received()).hasSize(1);
    }
  }

  @Test
  void escapesProfileNamesLikeTheJavaCache() throws Exception {
    String json = processJson(Instant.now().plus(Duration.ofHours(1)));
    new CredentialCache(cacheHome.resolve("stint"))
        .write(SERVER, "team/prod admin_1", json, Instant.now());

    assertThat(launcher("credentials", "team/prod admin_1")).isEqualTo(json);
  }

  @Test
  void anEntryWithinFiveMinutesOfExpiryFallsThroughToTheJvm() throws Exception {
    store(PROFILE, processJson(Instant.now().plus(Duration.ofMinutes(5)).minusSeconds(2)));

    assertThat(launcher("credentials", PROFILE)).isEqualTo(jvmStarted("credentials", PROFILE));
    assertThat(java("credentials", PROFILE)).isNull();
  }

  @Test
  void aFileOthersMayReadFallsThroughAndTheJavaPathRefusesItToo() throws Exception {
    Path file = store(PROFILE, processJson(Instant.now().plus(Duration.ofHours(1))));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    assertThat(launcher("credentials", PROFILE)).isEqualTo(jvmStarted("credentials", PROFILE));
    assertThat(java("credentials", PROFILE)).isNull();
  }

  @Test
  void aDirectoryOthersMayListFallsThrough() throws Exception {
    Path file = store(PROFILE, processJson(Instant.now().plus(Duration.ofHours(1))));
    Files.setPosixFilePermissions(file.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));

    assertThat(launcher("credentials", PROFILE)).isEqualTo(jvmStarted("credentials", PROFILE));
    assertThat(java("credentials", PROFILE)).isNull();
  }

  @Test
  void aSymlinkedEntryFallsThrough() throws Exception {
    Path real = store("elsewhere", processJson(Instant.now().plus(Duration.ofHours(1))));
    Path link = new CredentialCache(cacheHome.resolve("stint")).file(SERVER, PROFILE).orElseThrow();
    Files.createSymbolicLink(link, real);

    assertThat(launcher("credentials", PROFILE)).isEqualTo(jvmStarted("credentials", PROFILE));
    assertThat(java("credentials", PROFILE)).isNull();
  }

  @Test
  void aSymlinkedCacheDirectoryFallsThrough() throws Exception {
    Path file = store(PROFILE, processJson(Instant.now().plus(Duration.ofHours(1))));
    Path aws = file.getParent();
    Path moved = Files.move(aws, tmp.resolve("elsewhere"));
    Files.createSymbolicLink(aws, moved);

    assertThat(launcher("credentials", PROFILE)).isEqualTo(jvmStarted("credentials", PROFILE));
    assertThat(java("credentials", PROFILE)).isNull();
  }

  @Test
  void anEntryOwnedBySomeoneElseFallsThrough() throws Exception {
    assumeTrue(
        "root".equals(System.getProperty("user.name")), "SKIPPED: only root can give a file away");
    Path file = store(PROFILE, processJson(Instant.now().plus(Duration.ofHours(1))));
    Files.setAttribute(file, "unix:uid", 65534);

    assertThat(launcher("credentials", PROFILE)).isEqualTo(jvmStarted("credentials", PROFILE));
    assertThat(java("credentials", PROFILE)).isNull();
  }

  /** Anything but the plain form goes to the full CLI, which knows every flag. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "credentials other-profile",
        "credentials aws-prod-admin --refresh",
        "credentials --token-file /x aws-prod-admin",
        "credentials aws-prod-admin extra",
        "credentials --server http://127.0.0.1:1 aws-prod-admin",
        "credentials",
        "credentials --server http://127.0.0.1:9 --server http://127.0.0.1:9 aws-prod-admin",
        "credentials prod-\u00e9",
        "credentials -- aws-prod-admin",
        "env aws-prod-admin"
      })
  void otherArgumentsFallThroughUnchanged(String line) throws Exception {
    store(PROFILE, processJson(Instant.now().plus(Duration.ofHours(1))));
    String[] args = line.split(" ");

    assertThat(launcher(args)).isEqualTo(jvmStarted(args));
  }

  /** The helper's reading of the expiry is the Java one, for what stint writes and for junk. */
  @ParameterizedTest
  @CsvSource({
    "2099-12-31T23:59:59Z, true", "2099-12-31T23:59:59.123456789Z, true",
        "2096-02-29T00:00:00Z, true",
    "2097-02-29T00:00:00Z, false", "2099-13-01T00:00:00Z, false", "2099-04-31T00:00:00Z, false",
    "2099-01-01T24:00:00Z, false", "2099-01-01T00:00:00+00:00, false",
        "2099-01-01 00:00:00Z, false",
    "2099-01-01T00:00:00.1xZ, false", "2020-01-01T00:00:00Z, false", "'', false"
  })
  void readsTheExpiryLikeTheJavaCache(String expiration, boolean served) throws Exception {
    String json =
        "{\"Version\":1,\"AccessKeyId\":\"A\",\"Expiration\":\""
            + expiration
            + "\",\"owner\":\""
            + ALICE
            + "\",\"checked_until\":\""
            + CHECKED
            + "\"}";
    store(PROFILE, json);

    assertThat(CredentialCache.usable(json, Instant.now().truncatedTo(ChronoUnit.SECONDS)))
        .isEqualTo(served);
    assertThat(launcher("credentials", PROFILE))
        .isEqualTo(served ? json : jvmStarted("credentials", PROFILE));
  }

  /**
   * Past its check an entry is left to the JVM, which asks the server whether its grant still
   * stands; the launcher reads the time as the Java cache does.
   */
  @ParameterizedTest
  @CsvSource({"3600, true", "5, true", "-1, false", "-3600, false", "garbage, false"})
  void servesAnEntryOnlyBeforeItsCheckIsDueLikeTheJavaCache(String offset, boolean served)
      throws Exception {
    String checked =
        offset.equals("garbage")
            ? "soon"
            : Instant.now()
                .truncatedTo(ChronoUnit.SECONDS)
                .plusSeconds(Long.parseLong(offset))
                .toString();
    String json =
        "{\"Version\":1,\"AccessKeyId\":\"A\",\"Expiration\":\""
            + Instant.now().plus(1, ChronoUnit.HOURS)
            + "\",\"owner\":\""
            + ALICE
            + "\",\"checked_until\":\""
            + checked
            + "\"}";
    store(PROFILE, json);

    assertThat(CredentialCache.checked(json, Instant.now())).isEqualTo(served);
    assertThat(launcher("credentials", PROFILE))
        .isEqualTo(served ? json : jvmStarted("credentials", PROFILE));
  }

  @Test
  void anEntryMintedForSomeoneElseFallsThroughAfterLoginAsThem() throws Exception {
    store(PROFILE, processJson(Instant.now().plus(Duration.ofHours(1)), ALICE));
    loggedIn(BOB);

    assertThat(launcher("credentials", PROFILE)).isEqualTo(jvmStarted("credentials", PROFILE));
    assertThat(java("credentials", PROFILE)).isNull();
  }

  @Test
  void afterLogoutNoEntryIsServed() throws Exception {
    store(PROFILE, processJson(Instant.now().plus(Duration.ofHours(1))));
    Files.delete(configHome.resolve("stint/login.owner"));

    assertThat(launcher("credentials", PROFILE)).isEqualTo(jvmStarted("credentials", PROFILE));
    assertThat(java("credentials", PROFILE)).isNull();
  }

  @Test
  void anEntryThatNamesNoOwnerFallsThrough() throws Exception {
    store(PROFILE, processJson(Instant.now().plus(Duration.ofHours(1)), null));

    assertThat(launcher("credentials", PROFILE)).isEqualTo(jvmStarted("credentials", PROFILE));
    assertThat(java("credentials", PROFILE)).isNull();
  }

  /** Whose a token is takes parsing it: the JVM decides, whatever the marker says. */
  @Test
  void withStintTokenSetTheJvmDecides() throws Exception {
    store(PROFILE, processJson(Instant.now().plus(Duration.ofHours(1))));
    Map<String, String> token = Map.of("STINT_TOKEN", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJib2IifQ.");

    assertThat(launcher(root.resolve("bin/stint"), token, "credentials", PROFILE))
        .isEqualTo(jvmStarted("credentials", PROFILE));
    assertThat(java(token, "credentials", PROFILE)).isNull();
  }

  @Test
  void aMarkerOthersCouldWriteFallsThrough() throws Exception {
    store(PROFILE, processJson(Instant.now().plus(Duration.ofHours(1))));
    Files.setPosixFilePermissions(loggedIn(ALICE), PosixFilePermissions.fromString("rw-rw-rw-"));

    assertThat(launcher("credentials", PROFILE)).isEqualTo(jvmStarted("credentials", PROFILE));
    assertThat(java("credentials", PROFILE)).isNull();
  }

  @Test
  void aMarkerThatOnlyBeginsWithTheOwnerFallsThrough() throws Exception {
    store(PROFILE, processJson(Instant.now().plus(Duration.ofHours(1))));
    loggedIn(ALICE + "0");

    assertThat(launcher("credentials", PROFILE)).isEqualTo(jvmStarted("credentials", PROFILE));
    assertThat(java("credentials", PROFILE)).isNull();
  }
}
