package dev.stint.cli.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stint.cli.CliEnvironment;
import dev.stint.cli.CliException;
import dev.stint.cli.PrivateFiles;
import dev.stint.cli.lease.LeaseToken;
import dev.stint.lease.LeaseTokens;
import dev.stint.testing.LocalTools;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's stint-cached (src/main/c) on a task lease's entries, beside the Java fast path
 * ({@link CachedCredentials}): an AWS tool's {@code stint credentials --lease-file FILE} is served
 * from the lease's own entry without a JVM, the same bytes either way, and only for the lease its
 * token names. Anything else falls through to the JVM (exit 1, nothing printed), where the full
 * command decides.
 */
class CachedLeaseHelperTest {
  private static final String SERVER = "http://127.0.0.1:9";
  private static final String LEASE = "lse_abcdefghijklmnopqrstuvwx";
  private static final String OTHER = "lse_bcdefghijklmnopqrstuvwxy";
  private static final String ALICE = CacheOwner.of("https://login.example.com", "alice");

  @TempDir static Path build;
  static Path helper;

  @TempDir Path tmp;
  Path cacheHome;
  Path configHome;
  Path tokenFile;
  String token;
  Instant now;

  @BeforeAll
  static void compile() throws Exception {
    helper = build.resolve("stint-cached");
    List<String> command =
        List.of(
            LocalTools.cc().toString(),
            "-std=c11",
            "-Wall",
            "-Wextra",
            "-pedantic",
            "-Werror",
            "-O2",
            "-o",
            helper.toString(),
            "src/main/c/stint-cached.c");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(log).isZero();
  }

  /** The lease's token in its file, and its entry cached as {@code stint credentials} writes it. */
  @BeforeEach
  void cached() throws Exception {
    cacheHome = tmp.resolve("cache");
    configHome = tmp.resolve("config");
    now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    token = new LeaseTokens().issue(LEASE);
    tokenFile = tmp.resolve("agent.token");
    PrivateFiles.write(tokenFile, token + "\n");
    assertThat(leases().write(SERVER, LEASE, entry(ownerOf(token), 60), now)).isTrue();
  }

  /**
   * The owner a lease entry minted with {@code token} records, computed here with the JDK's digest:
   * {@code lease:}, the lease id, {@code :}, the token's SHA-256 in lowercase hex.
   */
  static String ownerOf(String token) throws Exception {
    String lease = LeaseTokens.leaseOf(token).orElseThrow();
    byte[] hash =
        MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    return "lease:" + lease + ":" + HexFormat.of().formatHex(hash);
  }

  LeaseCache leases() {
    return new LeaseCache(cacheHome.resolve("stint"));
  }

  /** An entry owned by {@code owner} whose credentials expire {@code minutes} from now. */
  String entry(String owner, int minutes) {
    String expiration = now.plus(Duration.ofMinutes(minutes)).toString();
    return "{\"Version\":1,\"AccessKeyId\":\"ASIALEASE\",\"SecretAccessKey\":\"s\","
        + "\"SessionToken\":\"t\",\"Expiration\":\""
        + expiration
        + "\",\"grant_id\":\"grt_1\",\"credential_id\":\"crd_1\",\"owner\":\""
        + owner
        + "\",\"checked_until\":\""
        + expiration
        + "\"}\n";
  }

  /** The helper's exit status and what it printed. */
  private record Served(int exit, String out) {}

  private Served helper(Map<String, String> extra, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(helper.toString(), "credentials"));
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(k -> k.startsWith("STINT_") || k.startsWith("XDG_"));
    env.put("XDG_CACHE_HOME", cacheHome.toString());
    env.put("XDG_CONFIG_HOME", configHome.toString());
    env.put("STINT_SERVER", SERVER);
    env.putAll(extra);
    Process p = builder.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Served(p.exitValue(), out);
  }

  private Served helper(String... args) throws Exception {
    return helper(Map.of(), args);
  }

  /** The Java fast path with the same arguments and environment: what it printed, or null. */
  private String java(Map<String, String> extra, String... args) {
    List<String> all = new ArrayList<>(List.of("credentials"));
    all.addAll(List.of(args));
    Map<String, String> vars = new HashMap<>(extra);
    vars.put("XDG_CACHE_HOME", cacheHome.toString());
    vars.put("XDG_CONFIG_HOME", configHome.toString());
    vars.put("STINT_SERVER", SERVER);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CliEnvironment env =
        new CliEnvironment(
            vars,
            tmp,
            Clock.fixed(now, ZoneOffset.UTC),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    return CachedCredentials.print(all.toArray(String[]::new), env)
        ? out.toString(StandardCharsets.UTF_8)
        : null;
  }

  @Test
  void theLeasesEntryIsServedForItsTokenFileOrVariableAsTheJavaPathServesIt() throws Exception {
    String json = entry(ownerOf(token), 60);
    String file = tokenFile.toString();

    assertThat(helper("--lease-file", file)).isEqualTo(new Served(0, json));
    assertThat(helper("--lease-file=" + file, "--server", SERVER)).isEqualTo(new Served(0, json));
    assertThat(helper("--server=" + SERVER + "/", "--lease-file", file))
        .isEqualTo(new Served(0, json));
    assertThat(helper(Map.of("STINT_LEASE_TOKEN", " " + token + "\n")))
        .isEqualTo(new Served(0, json));
    assertThat(java(Map.of(), "--lease-file", file)).isEqualTo(json);
    assertThat(java(Map.of("STINT_LEASE_TOKEN", " " + token + "\n"))).isEqualTo(json);
  }

  /** The fast path finds a token's lease as the CLI's full path and the server do, by hand. */
  @Test
  void theFastPathReadsATokensLeaseAsLeaseTokenAndTheServerDo() {
    for (String id :
        List.of(LEASE, OTHER, "lse_222222222222222222222222", "lse_zzzzzzzzzzzzzzzzzzzzzzzz")) {
      String issued = new LeaseTokens().issue(id);
      assertThat(LeaseCache.leaseOf(" " + issued + "\n"))
          .contains(id)
          .isEqualTo(LeaseTokens.leaseOf(issued))
          .contains(LeaseToken.parse(issued, "t").lease());
    }
    String good = new LeaseTokens().issue(LEASE);
    List<String> bad =
        List.of(
            "",
            good.substring(1),
            good + "A",
            good.replace('.', '_'),
            "stl_ABCDEFGHIJKLMNOPQRSTUVWX" + good.substring(28),
            "stl_abcdefghijklmnopqrstuvw1" + good.substring(28),
            good.substring(0, 40) + "+" + good.substring(41),
            good.substring(0, 40) + "é" + good.substring(41));
    for (String text : bad) {
      assertThat(LeaseCache.leaseOf(text)).as(text).isEmpty();
      assertThatThrownBy(() -> LeaseToken.parse(text, "t"))
          .as(text)
          .isInstanceOf(CliException.class);
    }
  }

  @Test
  void aTokenFileOthersMayReadOrALinkToOneFallsThrough() throws Exception {
    Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-r-----"));
    assertThat(helper("--lease-file", tokenFile.toString())).isEqualTo(new Served(1, ""));
    assertThat(java(Map.of(), "--lease-file", tokenFile.toString())).isNull();

    Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
    Path link = tmp.resolve("link.token");
    Files.createSymbolicLink(link, tokenFile);
    assertThat(helper("--lease-file", link.toString())).isEqualTo(new Served(1, ""));
    assertThat(java(Map.of(), "--lease-file", link.toString())).isNull();
  }

  @Test
  void aTokenOfAnotherLeaseOrOfNoShapeFallsThrough() throws Exception {
    Path other = tmp.resolve("other.token");
    PrivateFiles.write(other, new LeaseTokens().issue(OTHER));
    Path truncated = tmp.resolve("truncated.token");
    PrivateFiles.write(truncated, token.substring(0, token.length() - 1));
    Path jwt = tmp.resolve("jwt.token");
    PrivateFiles.write(jwt, "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln");

    for (Path file : List.of(other, truncated, jwt)) {
      assertThat(helper("--lease-file", file.toString()))
          .as(file.toString())
          .isEqualTo(new Served(1, ""));
      assertThat(java(Map.of(), "--lease-file", file.toString())).as(file.toString()).isNull();
    }
    assertThat(helper(Map.of("STINT_LEASE_TOKEN", token + "x"))).isEqualTo(new Served(1, ""));
  }

  /**
   * A lease id is no secret (listings, the audit, findings and the session's tag name it): a token
   * that names the lease with any other secret part, forged or of the right shape, is not served
   * the lease's entry, by the helper or the Java path, from a file or the environment.
   */
  @Test
  void aTokenNamingTheLeaseWithAnotherSecretFallsThrough() throws Exception {
    String named = token.substring(0, token.indexOf('.') + 1);
    Path wrongFile = tmp.resolve("wrong.token");
    for (String wrong :
        List.of(named + "A".repeat(43), new LeaseTokens().issue(LEASE), named + "-".repeat(43))) {
      PrivateFiles.write(wrongFile, wrong + "\n");
      assertThat(LeaseCache.leaseOf(wrong)).contains(LEASE);
      assertThat(helper("--lease-file", wrongFile.toString())).isEqualTo(new Served(1, ""));
      assertThat(helper(Map.of("STINT_LEASE_TOKEN", wrong))).isEqualTo(new Served(1, ""));
      assertThat(java(Map.of(), "--lease-file", wrongFile.toString())).isNull();
      assertThat(java(Map.of("STINT_LEASE_TOKEN", wrong))).isNull();
    }
    assertThat(helper("--lease-file", tokenFile.toString()).exit()).isZero();
  }

  /**
   * An entry written before entries were bound to their token names only its lease ({@code
   * lease:<id>}): it is never served, not even for the lease's own token, and is minted again.
   */
  @Test
  void anEntryNamingOnlyItsLeaseIsNotServedEvenForItsToken() throws Exception {
    assertThat(leases().write(SERVER, LEASE, entry("lease:" + LEASE, 60), now)).isTrue();

    assertThat(helper("--lease-file", tokenFile.toString())).isEqualTo(new Served(1, ""));
    assertThat(helper(Map.of("STINT_LEASE_TOKEN", token))).isEqualTo(new Served(1, ""));
    assertThat(java(Map.of(), "--lease-file", tokenFile.toString())).isNull();
    assertThat(java(Map.of("STINT_LEASE_TOKEN", token))).isNull();
  }

  @Test
  void anEntryNotOwnedByTheLeaseOrNearItsExpiryFallsThrough() throws Exception {
    for (String json :
        List.of(
            entry(ALICE, 60),
            entry(ownerOf(new LeaseTokens().issue(OTHER)), 60),
            entry(ownerOf(new LeaseTokens().issue(LEASE)), 60),
            entry(ownerOf(token).toUpperCase(Locale.ROOT), 60),
            entry(ownerOf(token) + "0", 60),
            entry(ownerOf(token), 5))) {
      assertThat(leases().write(SERVER, LEASE, json, now.minus(Duration.ofHours(1)))).isTrue();
      assertThat(helper("--lease-file", tokenFile.toString()))
          .as(json)
          .isEqualTo(new Served(1, ""));
      assertThat(java(Map.of(), "--lease-file", tokenFile.toString())).as(json).isNull();
    }
  }

  /**
   * The person's path reads their directory alone, and the lease's path its own: a lease entry is
   * not served to a logged-in person who names the lease as a profile, and a person's entry named
   * like the lease, even one claiming the lease as its owner, is not served for the lease's token.
   */
  @Test
  void aPersonsPathAndALeasesPathNeverServeEachOthersEntries() throws Exception {
    PrivateFiles.write(configHome.resolve("stint/login.owner"), ALICE);
    assertThat(helper(LEASE)).isEqualTo(new Served(1, ""));
    assertThat(java(Map.of(), LEASE)).isNull();

    leases().forget(SERVER, LEASE);
    CredentialCache persons = new CredentialCache(cacheHome.resolve("stint"));
    assertThat(persons.write(SERVER, LEASE, entry(ownerOf(token), 60), now)).isTrue();
    assertThat(helper("--lease-file", tokenFile.toString())).isEqualTo(new Served(1, ""));
    assertThat(java(Map.of(), "--lease-file", tokenFile.toString())).isNull();
  }

  @Test
  void aProfileOrAParameterBesideALeaseFallsThroughToTheCommandThatRefusesIt() throws Exception {
    String file = tokenFile.toString();
    String[][] mixed = {
      {"aws-prod", "--lease-file", file},
      {"--lease-file", file, "--param", "bucket=b"},
      {"--lease-file", file, "--lease-file", file},
      {"--lease-file", file, "--refresh"},
      {"--lease-file"},
    };
    for (String[] args : mixed) {
      assertThat(helper(args)).as(String.join(" ", args)).isEqualTo(new Served(1, ""));
      assertThat(java(Map.of(), args)).as(String.join(" ", args)).isNull();
    }
  }
}
