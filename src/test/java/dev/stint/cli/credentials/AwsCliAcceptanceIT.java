package dev.stint.cli.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.cli.PrivateFiles;
import dev.stint.lease.LeaseTokens;
import dev.stint.testing.FakeStintApi;
import dev.stint.testing.LocalTools;
import dev.stint.testing.TestIdp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real AWS CLI v2 (Debian's {@code awscli}, {@code /usr/bin/aws}) using {@code
 * credential_process = stint credentials PROFILE}, and the cached path as a real process: it must
 * answer without a server and without loading the HTTP, JSON or CLI-parser stack.
 */
class AwsCliAcceptanceIT {
  private static final String SERVER = "http://127.0.0.1:9"; // nothing listens: a call would fail

  @TempDir Path home;

  private static String javaCommand() {
    return Path.of(System.getProperty("java.home"), "bin", "java")
        + " -cp "
        + System.getProperty("java.class.path")
        + " dev.stint.app.Launcher";
  }

  @Test
  void awsCliGetsTheMintedCredentialsThroughCredentialProcess() throws Exception {
    Path aws = LocalTools.awsCli();
    String expiration =
        Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
    try (FakeStintApi api = new FakeStintApi()) {
      api.answer(
          "/v1/credentials",
          "{\"cloud\":\"aws\",\"access_key_id\":\"ASIAACCEPTANCE01\","
              + "\"secret_access_key\":\"accept/secret+1\",\"session_token\":\"accept-token==\","
              + "\"expiration\":\""
              + expiration
              + "\",\"grant_id\":\"g-1\"}");
      Path config = home.resolve("aws-config");
      Files.writeString(
          config,
          "[profile prod]\ncredential_process = "
              + javaCommand()
              + " credentials aws-prod-admin --server "
              + api.uri()
              + "\n");

      String token;
      try (TestIdp idp = new TestIdp("corp")) {
        token = idp.token("alice", "eng");
      }

      JsonNode exported = exportCredentials(aws, config, token);
      JsonNode again = exportCredentials(aws, config, token);

      assertThat(exported.path("AccessKeyId").asText()).isEqualTo("ASIAACCEPTANCE01");
      assertThat(exported.path("SecretAccessKey").asText()).isEqualTo("accept/secret+1");
      assertThat(exported.path("SessionToken").asText()).isEqualTo("accept-token==");
      assertThat(Instant.parse(exported.path("Expiration").asText()))
          .isEqualTo(Instant.parse(expiration));
      assertThat(again).isEqualTo(exported);
      assertThat(api.received()).hasSize(1); // the second run came from stint's cache
    }
  }

  /**
   * A revoke made elsewhere reaches the AWS CLI through the cache: once a cached entry's check is
   * due, {@code credential_process} asks the server, and an entry it no longer serves gives way to
   * fresh credentials, while one it still serves is printed again without minting.
   */
  @Test
  void awsCliGetsFreshCredentialsOnceTheServerNoLongerServesTheCachedOnes() throws Exception {
    Path aws = LocalTools.awsCli();
    String expiration =
        Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
    try (FakeStintApi api = new FakeStintApi()) {
      api.answer("/v1/credentials", minted("ASIACACHEDFIRST01", "crd_first", expiration));
      Path config = home.resolve("aws-config");
      Files.writeString(
          config,
          "[profile prod]\ncredential_process = "
              + javaCommand()
              + " credentials aws-prod-admin --server "
              + api.uri()
              + "\n");
      String token;
      try (TestIdp idp = new TestIdp("corp")) {
        token = idp.token("alice", "eng");
      }
      Path entry =
          new CredentialCache(home.resolve(".cache/stint"))
              .file(api.uri().toString(), "aws-prod-admin")
              .orElseThrow();

      assertThat(exportCredentials(aws, config, token).path("AccessKeyId").asText())
          .isEqualTo("ASIACACHEDFIRST01");
      api.answer("/v1/credentials/crd_first", "{\"serve\":true,\"reason\":\"serve\"}");
      checkDue(entry);
      assertThat(exportCredentials(aws, config, token).path("AccessKeyId").asText())
          .as("still its grant's: served again without minting")
          .isEqualTo("ASIACACHEDFIRST01");

      api.answer("/v1/credentials/crd_first", "{\"serve\":false,\"reason\":\"revoked\"}");
      api.answer("/v1/credentials", minted("ASIAFRESHSECOND02", "crd_second", expiration));
      checkDue(entry);
      assertThat(exportCredentials(aws, config, token).path("AccessKeyId").asText())
          .isEqualTo("ASIAFRESHSECOND02");
      assertThat(api.received())
          .extracting(FakeStintApi.Received::path)
          .containsExactly(
              "/v1/credentials",
              "/v1/credentials/crd_first",
              "/v1/credentials/crd_first",
              "/v1/credentials");
    }
  }

  private static String minted(String key, String credentialId, String expiration) {
    return "{\"cloud\":\"aws\",\"access_key_id\":\""
        + key
        + "\",\"secret_access_key\":\"s\",\"session_token\":\"t\",\"expiration\":\""
        + expiration
        + "\",\"credential_id\":\""
        + credentialId
        + "\",\"grant_id\":\"g-1\"}";
  }

  /** The entry as it is once its period without asking has passed. */
  private static void checkDue(Path entry) throws Exception {
    String json = Files.readString(entry);
    Files.writeString(
        entry,
        json.replaceAll(
            "\"checked_until\":\"[^\"]*\"",
            "\"checked_until\":\""
                + Instant.now().minusSeconds(1).truncatedTo(ChronoUnit.SECONDS)
                + "\""));
  }

  private JsonNode exportCredentials(Path aws, Path config, String token) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(
                aws.toString(),
                "configure",
                "export-credentials",
                "--profile",
                "prod",
                "--format",
                "process")
            .directory(home.toFile())
            .redirectError(home.resolve("aws-stderr.txt").toFile());
    Map<String, String> env = builder.environment();
    env.keySet()
        .removeIf(k -> k.startsWith("AWS_") || k.startsWith("STINT_") || k.startsWith("XDG_"));
    env.put("HOME", home.toString());
    env.put("AWS_CONFIG_FILE", config.toString());
    env.put("AWS_SHARED_CREDENTIALS_FILE", home.resolve("no-credentials").toString());
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    env.put("STINT_TOKEN", token);
    Process process = builder.start();
    byte[] out = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue())
        .as("aws stderr: %s", Files.readString(home.resolve("aws-stderr.txt")))
        .isZero();
    return new ObjectMapper().readTree(new String(out, StandardCharsets.UTF_8));
  }

  /**
   * {@code ~} is {@code $HOME}: with HOME pointed elsewhere than the account's home, and no XDG
   * directories or AWS_CONFIG_FILE, {@code stint setup aws} writes {@code $HOME/.aws/config}, where
   * the AWS CLI reads it, and the credential it then mints is cached under {@code
   * $HOME/.cache/stint}, where the next call finds it.
   */
  @Test
  void setupAndCredentialsKeepTheirFilesUnderHome() throws Exception {
    Path aws = LocalTools.awsCli();
    Path runnerHome = home.resolve("runner");
    Files.createDirectories(runnerHome);
    assertThat(runnerHome).isNotEqualTo(Path.of(System.getProperty("user.home")));
    Path stint = home.resolve("stint");
    Files.writeString(stint, "#!/bin/sh\nexec " + javaCommand() + " \"$@\"\n");
    stint.toFile().setExecutable(true);
    String expiration =
        Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
    try (FakeStintApi api = new FakeStintApi();
        TestIdp idp = new TestIdp("corp")) {
      api.answer(
          "/v1/profiles", "{\"profiles\":[{\"name\":\"aws-prod-admin\",\"cloud\":\"aws\"}]}");
      api.answer(
          "/v1/credentials",
          "{\"cloud\":\"aws\",\"access_key_id\":\"ASIAHOME01\",\"secret_access_key\":\"s\","
              + "\"session_token\":\"t\",\"expiration\":\""
              + expiration
              + "\",\"grant_id\":\"g-1\"}");
      Map<String, String> env = new HashMap<>();
      env.put("HOME", runnerHome.toString());
      env.put("STINT_COMMAND", stint.toString());
      env.put("STINT_TOKEN", idp.token("alice", "eng"));
      run(
          List.of(stint.toString(), "setup", "aws", "--yes", "--server", api.uri().toString()),
          env);

      assertThat(Files.readString(runnerHome.resolve(".aws/config")))
          .contains("[profile aws-prod-admin]", "credential_process = " + stint);
      env.remove("STINT_COMMAND");
      String first =
          run(
              List.of(
                  aws.toString(),
                  "configure",
                  "export-credentials",
                  "--profile",
                  "aws-prod-admin",
                  "--format",
                  "process"),
              env);
      String second =
          run(
              List.of(
                  aws.toString(),
                  "configure",
                  "export-credentials",
                  "--profile",
                  "aws-prod-admin",
                  "--format",
                  "process"),
              env);

      assertThat(new ObjectMapper().readTree(first).path("AccessKeyId").asText())
          .isEqualTo("ASIAHOME01");
      assertThat(second).isEqualTo(first);
      assertThat(api.received()).filteredOn(r -> r.path().equals("/v1/credentials")).hasSize(1);
      try (var cached = Files.list(runnerHome.resolve(".cache/stint/aws"))) {
        assertThat(cached).isNotEmpty();
      }
    }
  }

  /** Runs {@code command} with only {@code env} added to a cleaned environment; its stdout. */
  private String run(List<String> command, Map<String, String> env) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(home.toFile())
            .redirectError(home.resolve("stderr.txt").toFile());
    Map<String, String> vars = builder.environment();
    vars.keySet()
        .removeIf(k -> k.startsWith("AWS_") || k.startsWith("STINT_") || k.startsWith("XDG_"));
    vars.put("AWS_EC2_METADATA_DISABLED", "true");
    vars.putAll(env);
    Process process = builder.start();
    byte[] out = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue())
        .as("stderr: %s", Files.readString(home.resolve("stderr.txt")))
        .isZero();
    return new String(out, StandardCharsets.UTF_8);
  }

  @Test
  void theCachedPathAnswersWithoutAServerAndWithoutTheHeavyStack() throws Exception {
    String owner = CacheOwner.of("https://login.example.com", "alice");
    String json = cachedJson(owner);
    new CredentialCache(home.resolve("cache/stint"))
        .write(SERVER, "aws-prod-admin", json, Instant.now());
    PrivateFiles.write(home.resolve("config/stint/login.owner"), owner); // alice is logged in

    assertCachedWithoutTheHeavyStack(json, Map.of(), "credentials", "aws-prod-admin");
  }

  /**
   * A lease's entry is served only for the token it was minted with, which the fast path hashes: by
   * hand ({@link Sha256}), as the JDK's digest would first load its security providers.
   */
  @Test
  void aLeasesCachedPathHashesItsTokenWithoutTheHeavyStack() throws Exception {
    String token = new LeaseTokens().issue("lse_abcdefghijklmnopqrstuvwx");
    String json = cachedJson(LeaseCache.owner(token));
    LeaseCache leases = new LeaseCache(home.resolve("cache/stint"));
    assertThat(leases.write(SERVER, LeaseCache.leaseOf(token).orElseThrow(), json, Instant.now()))
        .isTrue();
    Path tokenFile = home.resolve("agent.token");
    PrivateFiles.write(tokenFile, token + "\n");

    assertCachedWithoutTheHeavyStack(
        json, Map.of(), "credentials", "--lease-file", tokenFile.toString());
    assertCachedWithoutTheHeavyStack(json, Map.of("STINT_LEASE_TOKEN", token), "credentials");
  }

  /** An entry owned by {@code owner}, good for an hour. */
  private static String cachedJson(String owner) {
    return "{\"Version\":1,\"AccessKeyId\":\"ASIACACHED\",\"SecretAccessKey\":\"s\","
        + "\"SessionToken\":\"t\",\"Expiration\":\""
        + Instant.now().plus(1, ChronoUnit.HOURS)
        + "\",\"owner\":\""
        + owner
        + "\",\"checked_until\":\""
        + Instant.now().plus(1, ChronoUnit.HOURS)
        + "\"}";
  }

  /**
   * Runs stint's entry point as its own JVM with {@code args} and {@code extra} in its environment:
   * it must print {@code json} (from the cache) without loading the heavy stack.
   */
  private void assertCachedWithoutTheHeavyStack(
      String json, Map<String, String> extra, String... args) throws Exception {
    Path classLog = Files.createTempFile(home, "classes", ".log");
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+load=info:file=" + classLog,
                "-cp",
                System.getProperty("java.class.path"),
                "dev.stint.app.Launcher"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("STINT_") || k.startsWith("XDG_"));
    builder.environment().put("STINT_SERVER", SERVER);
    builder.environment().put("XDG_CACHE_HOME", home.resolve("cache").toString());
    builder.environment().put("XDG_CONFIG_HOME", home.resolve("config").toString());
    builder.environment().putAll(extra);
    Process stint = builder.start();
    String out = new String(stint.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(stint.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(stint.exitValue()).isZero();
    assertThat(out).isEqualTo(json);
    String loaded = Files.readString(classLog);
    assertThat(loaded)
        .contains("dev.stint.cli.credentials.CachedCredentials")
        .doesNotContain(
            "picocli.",
            "com.fasterxml.jackson",
            "java.net.http.",
            "ch.qos.logback",
            "org.slf4j",
            "io.vertx",
            "io.netty",
            "software.amazon");
    // What the JVM loads for itself comes first; after stint's entry point, nothing that
    // bootstraps lambdas, date formatting or security providers.
    String afterEntry = loaded.substring(loaded.indexOf("dev.stint.app.Launcher"));
    assertThat(afterEntry)
        .doesNotContain(
            "LambdaMetafactory",
            "StringConcatFactory",
            "DateTimeFormatter",
            "MessageDigest",
            "java.security.Provider",
            "dev.stint.app.Main");
  }
}
