package dev.stint.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
  @TempDir Path dir;

  private StintConfig load(String yaml, Map<String, String> env) throws IOException {
    Path file = dir.resolve("stint.yaml");
    Files.writeString(file, yaml);
    return ConfigLoader.load(Optional.of(file), env);
  }

  private String problemOf(String yaml, Map<String, String> env) {
    Throwable t = Assertions.catchThrowable(() -> load(yaml, env));
    assertThat(t).isInstanceOf(ConfigException.class);
    return t.getMessage();
  }

  @Test
  void defaultsWithoutFileOrEnvironment() {
    StintConfig c = ConfigLoader.load(Optional.empty(), Map.of());
    assertThat(c.listen()).isEqualTo(new StintConfig.HostPort("127.0.0.1", 8080));
    assertThat(c.publicUrl()).isEqualTo(URI.create("http://127.0.0.1:8080"));
    assertThat(c.policiesDir()).isEqualTo(Path.of("./policies"));
    assertThat(c.dataDir()).isEqualTo(Path.of("./.stint"));
    assertThat(c.database().url()).isEmpty();
    assertThat(c.database().poolSize()).isEqualTo(8);
    assertThat(c.signingKeys()).isEmpty();
    assertThat(c.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.audit()).isEqualTo(new StintConfig.AuditConfig(Duration.ofSeconds(2), 256));
    assertThat(c.clouds().awsSts()).isEmpty();
    assertThat(c.notifications().webhooks()).isEmpty();
  }

  @Test
  void webSessionsDefaultToEightHoursAndAPublicClient() {
    StintConfig c = ConfigLoader.load(Optional.empty(), Map.of());
    assertThat(c.web().sessionTtl()).isEqualTo(Duration.ofHours(8));
    assertThat(c.web().clientSecret()).isEmpty();
  }

  @Test
  void theOutboxLeaseDefaultsToTwoMinutesAndStaysBetweenASecondAndAnHour() throws IOException {
    assertThat(ConfigLoader.load(Optional.empty(), Map.of()).access().outboxLease())
        .isEqualTo(Duration.ofMinutes(2));
    assertThat(load("outbox: {lease: 30s}\n", Map.of()).access().outboxLease())
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(load("", Map.of("STINT_OUTBOX_LEASE", "5s")).access().outboxLease())
        .isEqualTo(Duration.ofSeconds(5));
    assertThat(problemOf("outbox: {lease: 0s}\n", Map.of()))
        .contains("outbox.lease")
        .contains("greater than zero");
    assertThat(problemOf("outbox: {lease: 2h}\n", Map.of())).contains("between 1s and 1h");
  }

  @Test
  void theWebClientSecretComesFromTheEnvironmentAndIsNeverShown() throws IOException {
    StintConfig c =
        load(
            "web: {session_ttl: 1h}\n",
            Map.of("STINT_WEB_CLIENT_SECRET", "web-client-secret-value"));
    assertThat(c.web().sessionTtl()).isEqualTo(Duration.ofHours(1));
    assertThat(c.web().clientSecret()).contains("web-client-secret-value");
    assertThat(c.toString()).doesNotContain("web-client-secret-value");
    assertThat(problemOf("web: {session_ttl: 1m}\n", Map.of()))
        .contains("web.session_ttl")
        .contains("between 5m and 7d");
    assertThat(problemOf("web: {session_ttl: 30d}\n", Map.of())).contains("between 5m and 7d");
  }

  @Test
  void readsEveryKeyFromTheFile() throws IOException {
    StintConfig c =
        load(
            """
        listen: 0.0.0.0:9000
        public_url: https://stint.example.com/
        policies: /etc/stint/policies
        data_dir: /var/lib/stint
        database: {url: "postgresql://stint:s3cret@db.internal:6543/stint?sslmode=require", pool_size: 16}
        signing_keys: [/keys/a.pem, /keys/b.pem]
        shutdown_timeout: 10s
        aws: {region: eu-west-1, sts_endpoint: "http://127.0.0.1:4566", iam_endpoint: "http://127.0.0.1:4567", signin_endpoint: "http://127.0.0.1:4568"}
        gcp: {iamcredentials_endpoint: "http://127.0.0.1:1", sts_endpoint: "https://127.0.0.1:2"}
        azure: {authority_host: "https://127.0.0.1:3"}
        notify:
          slack_webhook_url: https://hooks.slack.com/services/T/B/X
          webhooks:
            - {url: "https://hooks.example.com/stint", secret: "0123456789abcdef0123"}
        """,
            Map.of());
    assertThat(c.listen()).isEqualTo(new StintConfig.HostPort("0.0.0.0", 9000));
    assertThat(c.publicUrl()).isEqualTo(URI.create("https://stint.example.com"));
    DatabaseUrl db = c.database().url().orElseThrow();
    assertThat(db.host()).isEqualTo("db.internal");
    assertThat(db.port()).isEqualTo(6543);
    assertThat(db.user()).isEqualTo("stint");
    assertThat(db.password()).isEqualTo("s3cret");
    assertThat(db.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:6543/stint?sslmode=require");
    assertThat(db.toString()).doesNotContain("s3cret");
    assertThat(c.database().poolSize()).isEqualTo(16);
    assertThat(c.signingKeys()).containsExactly(Path.of("/keys/a.pem"), Path.of("/keys/b.pem"));
    assertThat(c.shutdownTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.clouds().awsRegion()).contains("eu-west-1");
    assertThat(c.clouds().awsSts()).contains(URI.create("http://127.0.0.1:4566"));
    assertThat(c.clouds().azureAuthorityHost()).contains(URI.create("https://127.0.0.1:3"));
    assertThat(c.notifications().webhooks())
        .singleElement()
        .satisfies(w -> assertThat(w.toString()).doesNotContain("0123456789abcdef0123"));
  }

  @Test
  void theAwsBrokerRoleIsNoneByDefaultAndANameOrPathAndName() throws IOException {
    assertThat(ConfigLoader.load(Optional.empty(), Map.of()).clouds().awsBrokerRole()).isEmpty();
    assertThat(load("aws: {broker_role: stint/broker}\n", Map.of()).clouds().awsBrokerRole())
        .contains("stint/broker");
    assertThat(
            ConfigLoader.load(Optional.empty(), Map.of("STINT_AWS_BROKER_ROLE", "stint-broker"))
                .clouds()
                .awsBrokerRole())
        .contains("stint-broker");
  }

  @Test
  void environmentOverridesTheFile() throws IOException {
    StintConfig c =
        load(
            "listen: 127.0.0.1:9000\npolicies: ./a\n",
            Map.of(
                "STINT_LISTEN", "127.0.0.1:9100",
                "STINT_SIGNING_KEYS", "/k/1.pem, /k/2.pem",
                "STINT_AWS_STS_ENDPOINT", "http://127.0.0.1:7777"));
    assertThat(c.listen().port()).isEqualTo(9100);
    assertThat(c.policiesDir()).isEqualTo(Path.of("./a"));
    assertThat(c.signingKeys()).containsExactly(Path.of("/k/1.pem"), Path.of("/k/2.pem"));
    assertThat(c.clouds().awsSts()).contains(URI.create("http://127.0.0.1:7777"));
  }

  @Test
  void unknownKeyIsNamedWithItsFile() {
    assertThat(problemOf("listen: 127.0.0.1:1\nlisten_port: 80\n", Map.of()))
        .contains("unknown key 'listen_port'")
        .contains("stint.yaml");
    assertThat(problemOf("aws: {region: eu-west-1, sts: http://x}\n", Map.of()))
        .contains("unknown key 'aws.sts'");
    assertThat(problemOf("database: postgresql://x/y\n", Map.of()))
        .contains("unknown key 'database'");
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "STINT_LISTEN|nonsense|listen (env STINT_LISTEN): expected HOST:PORT",
        "STINT_LISTEN|127.0.0.1:70000|port 70000 is out of range",
        "STINT_PUBLIC_URL|ftp://x|public_url (env STINT_PUBLIC_URL): expected an http(s) URL",
        "STINT_DATABASE_POOL_SIZE|0|database.pool_size (env STINT_DATABASE_POOL_SIZE): expected a whole number from 1 to 200",
        "STINT_SHUTDOWN_TIMEOUT|soon|shutdown_timeout (env STINT_SHUTDOWN_TIMEOUT): expected a duration",
        "STINT_AWS_REGION|Mars|aws.region (env STINT_AWS_REGION): expected an AWS region",
        "STINT_DATABASE_URL|mysql://u:p@h/d|database.url (env STINT_DATABASE_URL): expected postgresql://",
        "STINT_AWS_IAM_ENDPOINT|http://h/?q=1|must not have a query",
        "STINT_AWS_BROKER_ROLE|arn:aws:iam::111122223333:role/broker|aws.broker_role (env STINT_AWS_BROKER_ROLE): expected an IAM role name",
        "STINT_AWS_BROKER_ROLE|/stint/broker|aws.broker_role (env STINT_AWS_BROKER_ROLE): expected an IAM role name",
        "STINT_AUDIT_TIMEOUT|2m|audit.timeout (env STINT_AUDIT_TIMEOUT): audit timeout must be at most 1m",
        "STINT_AUDIT_TIMEOUT|fast|audit.timeout (env STINT_AUDIT_TIMEOUT): expected a duration",
        "STINT_AUDIT_MAX_BATCH|0|audit.max_batch (env STINT_AUDIT_MAX_BATCH): expected a whole number from 1 to 10000",
        "STINT_TRUSTED_PROXIES|10.0.0.1|trusted_proxies (env STINT_TRUSTED_PROXIES): '10.0.0.1' is not a CIDR",
        "STINT_TRUSTED_PROXIES|lb.internal/32|trusted_proxies (env STINT_TRUSTED_PROXIES): 'lb.internal/32' does not start with an IPv4 or IPv6 address",
        "STINT_TRUSTED_PROXIES|10.1.0.0/8|has bits set after the /8 prefix",
        "STINT_HTTP_IDLE_TIMEOUT|2h|http.idle_timeout (env STINT_HTTP_IDLE_TIMEOUT): must be between 1s and 1h",
        "STINT_HTTP_READ_TIMEOUT|slow|http.read_timeout (env STINT_HTTP_READ_TIMEOUT): expected a duration",
        "STINT_HTTP_MAX_CONNECTIONS|0|http.max_connections (env STINT_HTTP_MAX_CONNECTIONS): expected a whole number from 1",
        "STINT_HTTP_MAX_EVENT_STREAMS|-1|http.max_event_streams (env STINT_HTTP_MAX_EVENT_STREAMS): expected a whole number",
        "STINT_HTTP_MAX_EVENT_STREAMS_PER_PERSON|many|http.max_event_streams_per_person (env STINT_HTTP_MAX_EVENT_STREAMS_PER_PERSON): expected a whole number",
        "STINT_HTTP_STREAM_RECHECK|5m|http.stream_recheck (env STINT_HTTP_STREAM_RECHECK): must be between 1s and 1m",
        "STINT_METRICS_LISTEN|9090|metrics.listen (env STINT_METRICS_LISTEN): expected HOST:PORT",
        "STINT_METRICS_TOKEN_FILE|/nonexistent/token|metrics.token_file (env STINT_METRICS_TOKEN_FILE): cannot read the token file"
      })
  void badValuesNameTheKeyAndTheSource(String env, String value, String expected) {
    assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of(env, value)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(expected);
  }

  @Test
  void trustedProxiesAreNoneByDefaultAndReadAsCidrs() throws IOException {
    assertThat(ConfigLoader.load(Optional.empty(), Map.of()).trustedProxies()).isEmpty();
    assertThat(load("trusted_proxies: [10.0.0.0/8, '2001:db8::/32']\n", Map.of()).trustedProxies())
        .containsExactly("10.0.0.0/8", "2001:db8:0:0:0:0:0:0/32");
    assertThat(
            ConfigLoader.load(
                    Optional.empty(), Map.of("STINT_TRUSTED_PROXIES", "10.0.0.0/8,192.168.0.0/16"))
                .trustedProxies())
        .containsExactly("10.0.0.0/8", "192.168.0.0/16");
    assertThat(problemOf("trusted_proxies: 10.0.0.0/8\n", Map.of()))
        .contains("trusted_proxies")
        .contains("expected a list of CIDRs");
  }

  @Test
  void httpLimitsHaveSafeDefaults() {
    StintConfig.HttpConfig http = ConfigLoader.load(Optional.empty(), Map.of()).http();
    assertThat(http)
        .isEqualTo(
            new StintConfig.HttpConfig(
                Duration.ofSeconds(60),
                Duration.ofSeconds(10),
                1000,
                100,
                4,
                Duration.ofSeconds(30)));
    StintConfig.MetricsConfig metrics = ConfigLoader.load(Optional.empty(), Map.of()).metrics();
    assertThat(metrics.listen()).isEmpty();
    assertThat(metrics.token()).isEmpty();
  }

  @Test
  void theIngestTokenIsNeverShownAndMustBeLongEnough() {
    assertThat(ConfigLoader.load(Optional.empty(), Map.of()).activity().ingestToken()).isEmpty();
    String shortToken = "an-ingest-token-of-31-character";
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    Optional.empty(), Map.of("STINT_ACTIVITY_INGEST_TOKEN", shortToken)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("activity.ingest_token")
        .hasMessageContaining("at least 32")
        .hasMessageNotContaining(shortToken);
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    Optional.empty(),
                    Map.of(
                        "STINT_ACTIVITY_INGEST_TOKEN", "an ingest token with spaces in it 0123")))
        .isInstanceOf(ConfigException.class)
        .hasMessageNotContaining("spaces in it");
    String token = shortToken + "x";
    StintConfig c =
        ConfigLoader.load(Optional.empty(), Map.of("STINT_ACTIVITY_INGEST_TOKEN", token));
    assertThat(c.activity().ingestToken()).contains(token);
    assertThat(c.toString()).doesNotContain(token);
  }

  @Test
  void theScimTokenIsNeverShownAndMustBeLongEnoughAndTheIssuerIsAPolicyName() {
    StintConfig none = ConfigLoader.load(Optional.empty(), Map.of());
    assertThat(none.directory().scimToken()).isEmpty();
    assertThat(none.directory().issuer()).isEmpty();
    String shortToken = "a-scim-token-of-31-characters-x";
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    Optional.empty(), Map.of("STINT_DIRECTORY_SCIM_TOKEN", shortToken)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("directory.scim_token")
        .hasMessageContaining("at least 32")
        .hasMessageNotContaining(shortToken);
    assertThatThrownBy(
            () -> ConfigLoader.load(Optional.empty(), Map.of("STINT_DIRECTORY_ISSUER", "Corp IdP")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("directory.issuer");
    String token = shortToken + "y";
    StintConfig c =
        ConfigLoader.load(
            Optional.empty(),
            Map.of("STINT_DIRECTORY_SCIM_TOKEN", token, "STINT_DIRECTORY_ISSUER", "corp"));
    assertThat(c.directory().scimToken()).contains(token);
    assertThat(c.directory().issuer()).contains("corp");
    assertThat(c.toString()).doesNotContain(token);
  }

  @Test
  void theMatchClaimIsSubByDefaultAndMustBeAPlainClaimThatNamesAPersonForGood() {
    assertThat(ConfigLoader.load(Optional.empty(), Map.of()).directory().matchClaim())
        .isEqualTo("sub");
    assertThat(
            ConfigLoader.load(Optional.empty(), Map.of("STINT_DIRECTORY_MATCH_CLAIM", "oid"))
                .directory()
                .matchClaim())
        .isEqualTo("oid");
    for (String bad :
        List.of("", "claims.oid", "https://example.com/oid", "o id", "oid,sub", "$.oid", "öid")) {
      assertThatThrownBy(
              () -> ConfigLoader.load(Optional.empty(), Map.of("STINT_DIRECTORY_MATCH_CLAIM", bad)))
          .as(bad)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("directory.match_claim")
          .hasMessageContaining("plain claim name");
    }
    for (String changeable : List.of("email", "preferred_username", "upn", "tid", "aud")) {
      assertThatThrownBy(
              () ->
                  ConfigLoader.load(
                      Optional.empty(), Map.of("STINT_DIRECTORY_MATCH_CLAIM", changeable)))
          .as(changeable)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("directory.match_claim")
          .hasMessageContaining("does not name one person for good");
    }
  }

  @Test
  void aMetricsTokenIsNeverShownAndMustBeLongEnough() throws IOException {
    assertThatThrownBy(
            () ->
                ConfigLoader.load(Optional.empty(), Map.of("STINT_METRICS_TOKEN", "short-secret")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("metrics.token")
        .hasMessageNotContaining("short-secret");
    String token = "a-long-enough-scrape-token";
    StintConfig c = ConfigLoader.load(Optional.empty(), Map.of("STINT_METRICS_TOKEN", token));
    assertThat(c.metrics().token()).contains(token);
    assertThat(c.metrics().toString()).doesNotContain(token);
    Path file = Files.createTempFile("metrics", ".token");
    try {
      Files.writeString(file, token + "\n");
      assertThat(
              ConfigLoader.load(
                      Optional.empty(), Map.of("STINT_METRICS_TOKEN_FILE", file.toString()))
                  .metrics()
                  .token())
          .contains(token);
      assertThatThrownBy(
              () ->
                  ConfigLoader.load(
                      Optional.empty(),
                      Map.of(
                          "STINT_METRICS_TOKEN_FILE",
                          file.toString(),
                          "STINT_METRICS_TOKEN",
                          token)))
          .hasMessageContaining("both set");
    } finally {
      Files.delete(file);
    }
  }

  @Test
  void databasePasswordNeverAppearsInAMessage() {
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    Optional.empty(), Map.of("STINT_DATABASE_URL", "postgresql://u:hunter2@/nodb")))
        .isInstanceOf(ConfigException.class)
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void checkpointKeysAreTheirOwnKeysFromFileOrEnvironment() throws IOException {
    StintConfig.CheckpointKeyFiles none =
        ConfigLoader.load(Optional.empty(), Map.of()).audit().checkpointKeys();
    assertThat(none.signing()).isEmpty();
    assertThat(none.legacyJwks()).isEmpty();

    StintConfig.CheckpointKeyFiles fromFile =
        load(
                "audit:\n  checkpoint_keys: [/k/c2.pem, /k/c1.pem]\n"
                    + "  checkpoint_legacy_jwks: /k/jwks.json\n",
                Map.of())
            .audit()
            .checkpointKeys();
    assertThat(fromFile.signing()).containsExactly(Path.of("/k/c2.pem"), Path.of("/k/c1.pem"));
    assertThat(fromFile.legacyJwks()).contains(Path.of("/k/jwks.json"));
    assertThat(
            ConfigLoader.load(
                    Optional.empty(), Map.of("STINT_AUDIT_CHECKPOINT_KEYS", "/k/c2.pem,/k/c1.pem"))
                .audit()
                .checkpointKeys()
                .signing())
        .hasSize(2);
  }

  /** As a Kubernetes Secret mounted as a file gives it: the URL names no password. */
  @Test
  void theDatabasePasswordIsReadFromItsFileAtBootAndNeverShown() throws IOException {
    Path file = Files.writeString(dir.resolve("password"), "s3cr3t:/@pw\n");

    StintConfig c =
        load(
            "database: {url: 'postgresql://stint@db.internal:5432/stint?sslmode=require',"
                + " password_file: "
                + file
                + "}\n",
            Map.of());

    DatabaseUrl url = c.database().url().orElseThrow();
    assertThat(url.password()).isEqualTo("s3cr3t:/@pw");
    assertThat(url.user()).isEqualTo("stint");
    assertThat(url.params()).containsEntry("sslmode", "require");
    assertThat(url.toString()).doesNotContain("s3cr3t");
    assertThat(
            load(
                    "",
                    Map.of(
                        "STINT_DATABASE_URL",
                        "postgresql://stint@db:5432/stint",
                        "STINT_DATABASE_PASSWORD_FILE",
                        file.toString()))
                .database()
                .url()
                .orElseThrow()
                .password())
        .isEqualTo("s3cr3t:/@pw");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "postgresql://stint@db:5432/stint   | missing  | database.password_file (env STINT_DATABASE_PASSWORD_FILE): cannot read the database password file",
        "postgresql://stint@db:5432/stint   | empty    | database.password_file (env STINT_DATABASE_PASSWORD_FILE): the database password file",
        "postgresql://stint:pw@db:5432/stint | password | database.url and database.password_file both give a password; give it once",
        "''                                  | password | database.password_file is set without database.url"
      })
  void aDatabasePasswordFileThatCannotServeStopsTheBoot(String url, String file, String expected)
      throws IOException {
    Files.writeString(dir.resolve("empty"), "\n");
    Files.writeString(dir.resolve("password"), "hunter2");
    Map<String, String> env =
        new HashMap<>(Map.of("STINT_DATABASE_PASSWORD_FILE", dir.resolve(file).toString()));
    if (!url.isEmpty()) {
      env.put("STINT_DATABASE_URL", url);
    }

    assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), env))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(expected)
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    String message = problemOf("bogus: 1\nlisten: x\n", Map.of("STINT_PUBLIC_URL", "nope"));
    assertThat(message).contains("unknown key 'bogus'").contains("listen").contains("public_url");
    assertThat(message.lines()).hasSize(1);
  }

  @Test
  void webhooksNeedAStrongSecret() {
    assertThat(problemOf("notify: {webhooks: [{url: 'https://h.example.com'}]}\n", Map.of()))
        .contains("notify.webhooks[0]")
        .contains("secret of at least 16 characters");
    assertThat(
            problemOf(
                "notify: {webhooks: [{url: 'https://h.example.com', secret_env: HOOK_SECRET}]}\n",
                Map.of()))
        .contains("HOOK_SECRET is not set");
    assertThat(
            problemOf(
                "notify: {webhooks: [{url: 'https://h.example.com', secret: 'aaaaaaaaaaaaaaaaaaa', x: 1}]}\n",
                Map.of()))
        .contains("unknown key 'notify.webhooks[0].x'");
  }

  @Test
  void webhookSecretFromEnvironment() throws IOException {
    StintConfig c =
        load(
            "notify: {webhooks: [{url: 'https://h.example.com', secret_env: S}]}\n",
            Map.of("S", "a-long-enough-secret"));
    assertThat(c.notifications().webhooks().get(0).secret()).isEqualTo("a-long-enough-secret");
  }

  @Test
  void malformedOrMissingFileIsReported() throws IOException {
    assertThat(problemOf("listen: [unclosed\n", Map.of())).contains("not valid YAML");
    assertThat(problemOf("- a\n- b\n", Map.of())).contains("must be a mapping");
    assertThatThrownBy(() -> ConfigLoader.load(Optional.of(dir.resolve("none.yaml")), Map.of()))
        .hasMessageContaining("does not exist");
    assertThat(load("", Map.of()).listen().port()).isEqualTo(8080);
  }

  @Test
  void googleStsAndEntraEndpointsMustBeHttps() {
    var e =
        Assertions.catchThrowableOfType(
            ConfigException.class,
            () ->
                ConfigLoader.load(
                    Optional.empty(),
                    Map.of("STINT_AZURE_AUTHORITY_HOST", "http://login.example.com")));
    Assertions.assertThat(e.getMessage())
        .contains("azure.authority_host")
        .contains("must be an https URL");
  }

  /** A password in a URL is refused, and neither it nor the user is repeated in the error. */
  @ParameterizedTest
  @CsvSource({
    "STINT_GCP_STS_ENDPOINT, http://svc:S3cret@proxy.corp.example",
    "STINT_GCP_STS_ENDPOINT, https://svc:S3cret@proxy.corp.example",
    "STINT_AWS_IAM_ENDPOINT, https://svc:S3cret@iam.corp.example"
  })
  void aUrlWithAUserOrPasswordIsRefusedWithoutRepeatingThem(String env, String value) {
    ConfigException e =
        catchThrowableOfType(
            () -> ConfigLoader.load(Optional.empty(), Map.of(env, value)), ConfigException.class);
    Assertions.assertThat(e).isNotNull();
    Assertions.assertThat(e.getMessage()).doesNotContain("S3cret").doesNotContain("svc:");
  }
}
