package dev.stint.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.audit.GroupCommitAuditLog;
import dev.stint.config.DatabaseUrl;
import dev.stint.config.StintConfig.AuditConfig;
import dev.stint.db.Database;
import dev.stint.directory.Deprovisioning;
import dev.stint.directory.DirectoryView;
import dev.stint.directory.Scim;
import dev.stint.http.ClientAddresses;
import dev.stint.http.HttpVerticle;
import dev.stint.http.ScimRoutes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * stint's real HTTP stack serving only {@code /scim/v2}, on 127.0.0.1 port 0, over a migrated
 * database with a real audit writer. {@link #PUBLIC_URL} stands for the server's public URL: the
 * answers' {@code meta.location} must be under it, not under where the server listens.
 */
public final class ScimServer implements AutoCloseable {
  public static final String TOKEN = "scim-test-token-0123456789abcdef0123456789";
  public static final URI PUBLIC_URL = URI.create("https://stint.example.com");

  /** The URL of the issuer the directory's users are people of. */
  public static final String ISSUER = "https://idp.corp.example";

  /**
   * A server without requests or grants: the directory's own tests; deprovisioning's effects on
   * access are tested with the access use cases (app.DeprovisioningTest).
   */
  public static final Deprovisioning NO_REQUESTS =
      (conn, leaver) -> Future.succeededFuture(new Deprovisioning.Ended(0, 0, 0, 0, () -> {}));

  private final Vertx vertx;
  private final Database database;
  private final GroupCommitAuditLog audit;
  private final DatabaseUrl url;
  private final Scim scim;
  private final DirectoryView view;
  private final int port;
  private final HttpClient client = HttpClient.newHttpClient();

  private ScimServer(
      Vertx vertx,
      Database database,
      GroupCommitAuditLog audit,
      DatabaseUrl url,
      Scim scim,
      DirectoryView view,
      int port) {
    this.vertx = vertx;
    this.scim = scim;
    this.view = view;
    this.database = database;
    this.audit = audit;
    this.url = url;
    this.port = port;
  }

  public static ScimServer start(Clock clock) throws Exception {
    DatabaseUrl url = TestPostgres.migratedDatabase();
    Vertx vertx = Vertx.vertx();
    Database db = Database.connect(vertx, url, 4);
    GroupCommitAuditLog audit =
        new GroupCommitAuditLog(
            vertx, db.pool(), clock, new AuditConfig(Patience.AUDIT_COMMIT, 64));
    DirectoryView view = new DirectoryView(vertx, db.pool(), db::subscriber, () -> true, clock);
    AuditTables.await(view.start());
    Scim scim =
        new Scim(
            db.pool(),
            audit,
            new Scim.Settings(TOKEN, PUBLIC_URL, () -> Optional.of(ISSUER)),
            NO_REQUESTS,
            view,
            clock);
    HttpVerticle http =
        new HttpVerticle(
            "127.0.0.1",
            0,
            List.of(new ClientAddresses(List.of()), new ScimRoutes(vertx, scim)),
            new HttpVerticle.Settings(Duration.ofSeconds(2), TestLimits.guard()));
    AuditTables.await(vertx.deployVerticle(http));
    return new ScimServer(vertx, db, audit, url, scim, view, http.actualPort());
  }

  public Scim scim() {
    return scim;
  }

  /** What the directory says of people, as every replica keeps it in memory. */
  public DirectoryView view() {
    return view;
  }

  /**
   * The view once it has read the directory after everything committed so far. A change reaches it
   * by an announcement a moment after the write's answer, and the read that announcement caused may
   * already be over: this announces once more, and waits for a read begun after that.
   */
  public DirectoryView viewAfterWrites() throws Exception {
    Instant written = Instant.now();
    AuditTables.execute(url, "SELECT pg_notify('stint_directory', '')");
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!view.readAt().isAfter(written)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the directory view was not read again after " + written);
      }
      Thread.sleep(10);
    }
    return view;
  }

  public DatabaseUrl database() {
    return url;
  }

  /** The server's pool, for writing as another part of stint would (the people seen). */
  public Pool pool() {
    return database.pool();
  }

  public URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + port + pathAndQuery);
  }

  /**
   * A request under {@code /scim/v2} with the token and, for a body, {@code application/scim+json}.
   */
  public HttpResponse<String> call(String method, String path, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri("/scim/v2" + path)).header("Authorization", "Bearer " + TOKEN);
    if (body != null) {
      b.header("Content-Type", "application/scim+json");
    }
    return send(
        b.method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  /** POSTs {@code body} to {@code /TYPE}, which must answer 201; the new resource's id. */
  public String created(String type, JsonObject body) throws Exception {
    HttpResponse<String> r = call("POST", "/" + type, body.encode());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return new JsonObject(r.body()).getString("id");
  }

  /** {@code r} is a SCIM error document with this status and {@code scimType} (or none). */
  public static void assertError(HttpResponse<String> r, int status, String scimType) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).contains("application/scim+json");
    JsonObject e = new JsonObject(r.body());
    assertThat(e.getJsonArray("schemas").getList())
        .containsExactly("urn:ietf:params:scim:api:messages:2.0:Error");
    assertThat(e.getValue("status")).isEqualTo(String.valueOf(status));
    assertThat(e.getString("scimType")).isEqualTo(scimType);
    assertThat(e.getString("detail")).isNotBlank();
  }

  public HttpResponse<String> send(HttpRequest request) throws Exception {
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() throws Exception {
    AuditTables.await(view.close());
    AuditTables.await(audit.close());
    database.close();
    AuditTables.await(vertx.close());
  }
}
