package dev.stint.testing;

import dev.stint.config.DatabaseUrl;
import dev.stint.db.EmbeddedDatabase;
import dev.stint.db.Migrations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A whole issuance path for load and reliability tests: a real stint server, a real IdP
 * (mock-oauth2-server), a fake STS answering at once, and a profile that auto-approves its callers
 * so that every {@code POST /v1/credentials} mints and audits. With {@code durable} the rig runs
 * its own embedded Postgres with fsync and synchronous commit on (what production pays); otherwise
 * it uses a database on the shared, non-durable test server.
 */
public final class IssuanceRig implements AutoCloseable {
  public static final String PROFILE = "load";
  public static final String BODY = "{\"profile\":\"" + PROFILE + "\"}";

  private final FakeSts sts;
  private final TestIdp idp;
  private final EmbeddedDatabase ownDatabase;
  private final Path ownDir;
  private final DatabaseUrl database;
  private final DatabaseUrl owner;
  private final TestServer server;

  private IssuanceRig(
      FakeSts sts,
      TestIdp idp,
      EmbeddedDatabase ownDatabase,
      Path ownDir,
      DatabaseUrl database,
      DatabaseUrl owner,
      TestServer server) {
    this.sts = sts;
    this.idp = idp;
    this.ownDatabase = ownDatabase;
    this.ownDir = ownDir;
    this.database = database;
    this.owner = owner;
    this.server = server;
  }

  /** Starts the rig; {@code extraEnv} adds server settings (STINT_* keys). */
  public static IssuanceRig start(boolean durable, Map<String, String> extraEnv) {
    // stint's own AWS identity for assume_role, through the SDK's default chain.
    System.setProperty("aws.accessKeyId", "AKIASTINTLOADTEST001");
    System.setProperty("aws.secretAccessKey", "stint-load-test-secret-not-real-000000000");
    FakeSts sts = FakeSts.forLoad();
    TestIdp idp = new TestIdp("corp");
    EmbeddedDatabase own = null;
    Path dir = null;
    DatabaseUrl url;
    DatabaseUrl owner;
    try {
      if (durable) {
        dir = Files.createTempDirectory("stint-bench-db");
        own = EmbeddedDatabase.start(dir, EmbeddedDatabase.Use.DURABLE);
        url = own.url();
        owner = own.ownerUrl();
        Migrations.migrate(owner);
      } else {
        url = TestPostgres.migratedDatabase();
        owner = TestPostgres.server().ownerUrl(url.database());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return start(sts, idp, own, dir, url, owner, extraEnv, Optional.empty(), IssuanceRig::policy);
  }

  /** A rig on a database the test manages itself (and may stop and start). */
  public static IssuanceRig onDatabase(DatabaseUrl url, Map<String, String> extraEnv) {
    return onDatabase(url, extraEnv, Optional.empty());
  }

  /** As above, with a configuration file holding {@code configYaml} (e.g. audit checkpoints). */
  public static IssuanceRig onDatabase(
      DatabaseUrl url, Map<String, String> extraEnv, Optional<String> configYaml) {
    return onDatabase(url, extraEnv, configYaml, IssuanceRig::policy);
  }

  /** As above, with the policy {@code policy} writes for the rig's IdP. */
  public static IssuanceRig onDatabase(
      DatabaseUrl url,
      Map<String, String> extraEnv,
      Optional<String> configYaml,
      Function<TestIdp, String> policy) {
    System.setProperty("aws.accessKeyId", "AKIASTINTLOADTEST001");
    System.setProperty("aws.secretAccessKey", "stint-load-test-secret-not-real-000000000");
    return start(
        FakeSts.forLoad(), new TestIdp("corp"), null, null, url, url, extraEnv, configYaml, policy);
  }

  private static IssuanceRig start(
      FakeSts sts,
      TestIdp idp,
      EmbeddedDatabase own,
      Path dir,
      DatabaseUrl url,
      DatabaseUrl owner,
      Map<String, String> extraEnv,
      Optional<String> configYaml,
      Function<TestIdp, String> policy) {
    Map<String, String> env = new HashMap<>();
    env.put("STINT_AWS_STS_ENDPOINT", sts.uri().toString());
    env.put("STINT_AWS_REGION", "us-east-1");
    env.putAll(extraEnv);
    TestServer server =
        configYaml.isPresent()
            ? TestServer.withConfig(url, env, policy.apply(idp), configYaml.get())
            : TestServer.start(url, env, policy.apply(idp));
    return new IssuanceRig(sts, idp, own, dir, url, owner, server);
  }

  /** One AWS profile that anyone in {@code oncall} gets on the spot (auto-approved). */
  public static String policy(TestIdp idp) {
    return "issuers:\n"
        + idp.issuerYaml("corp")
        + "profiles:\n"
        + "  "
        + PROFILE
        + ":\n"
        + "    aws: {role_arn: \"arn:aws:iam::111122223333:role/load\", mode: assume_role}\n"
        + "    max_duration: 1h\n"
        + "    requesters: 'principal.groups.exists(g, g == \"oncall\")'\n"
        + "    approval:\n"
        + "      count: 1\n"
        + "      approvers: 'principal.groups.exists(g, g == \"sre\")'\n"
        + "      auto_approve: 'principal.groups.exists(g, g == \"oncall\")'\n";
  }

  /** A token that may get credentials for {@link #PROFILE}. */
  public String token(String user) {
    return idp.token(user, "oncall");
  }

  public URI uri(String path) {
    return server.uri(path);
  }

  /** Load that asks for credentials, as {@code user}. */
  public LoadDriver.Target credentials(String user) {
    return LoadDriver.Target.postJson(uri("/v1/credentials"), token(user), BODY);
  }

  public TestServer server() {
    return server;
  }

  public FakeSts sts() {
    return sts;
  }

  public TestIdp idp() {
    return idp;
  }

  public DatabaseUrl database() {
    return database;
  }

  /** The same database as a role that may create tables, for benches that measure beside it. */
  public DatabaseUrl ownerDatabase() {
    return owner;
  }

  /** Audit events of this type committed so far. */
  public long auditCount(String type) throws SQLException {
    return AuditTables.count(database, "type = '" + type.replace("'", "") + "'");
  }

  @Override
  public void close() throws Exception {
    server.close();
    idp.close();
    sts.close();
    if (ownDatabase != null) {
      ownDatabase.close();
      TestPostgres.deleteTree(ownDir);
    }
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }
}
