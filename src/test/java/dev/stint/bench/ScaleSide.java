package dev.stint.bench;

import dev.stint.audit.AuditEvent;
import dev.stint.audit.AuditKeys;
import dev.stint.config.DatabaseUrl;
import dev.stint.db.Database;
import dev.stint.db.EmbeddedDatabase;
import dev.stint.http.CursorSeal;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Patience;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One side of the growth bench: a stint server on its own durable embedded Postgres, and a pool of
 * its own on the same database for the verifier walks that are timed without HTTP between.
 */
final class ScaleSide implements AutoCloseable {
  final String name;
  final EmbeddedDatabase db;
  final TestServer server;
  final Database pool;

  ScaleSide(String name, EmbeddedDatabase db, TestServer server, Database pool) {
    this.name = name;
    this.db = db;
    this.server = server;
    this.pool = pool;
  }

  static ScaleSide start(
      String name, EmbeddedDatabase db, Map<String, String> env, String policy, Vertx vertx) {
    return new ScaleSide(
        name, db, TestServer.start(db.url(), env, policy), Database.connect(vertx, db.url(), 2));
  }

  URI uri(String path) {
    return server.uri(path);
  }

  DatabaseUrl owner() {
    return db.ownerUrl();
  }

  /** For what only a superuser may do between measurements (a checkpoint). */
  DatabaseUrl superuser() {
    return db.superuserUrl("stint");
  }

  /** A cursor of the bench's own making, sealed as this side's server seals those it hands out. */
  String sealed(String cursor) throws Exception {
    byte[] key =
        AuditKeys.cursors(pool.pool())
            .toCompletionStage()
            .toCompletableFuture()
            .get(Patience.seconds(30), TimeUnit.MILLISECONDS);
    return new CursorSeal(key).seal(cursor);
  }

  /**
   * Moves a generated person's history to the bench's IdP, so that their grant lookups and request
   * lists run over a year of their own rows rather than over none.
   */
  int adopt(String subject, String issuer) throws Exception {
    DatabaseUrl o = owner();
    try (Connection c = DriverManager.getConnection(o.jdbcUrl(), o.user(), o.password())) {
      int n = 0;
      for (String sql :
          new String[] {
            "UPDATE access_requests SET requester_issuer = ? WHERE requester_subject = ?",
            "UPDATE grants SET principal_issuer = ? WHERE principal_subject = ?"
          }) {
        try (PreparedStatement p = c.prepareStatement(sql)) {
          p.setString(1, issuer);
          p.setString(2, subject);
          n += p.executeUpdate();
        }
      }
      return n;
    }
  }

  /** The calls kept that were made with {@code accessKeyId}, straight from the table. */
  long callsOf(String accessKeyId) throws Exception {
    DatabaseUrl o = owner();
    try (Connection c = DriverManager.getConnection(o.jdbcUrl(), o.user(), o.password());
        PreparedStatement p =
            c.prepareStatement("SELECT count(*) FROM activity_events WHERE access_key_id = ?")) {
      p.setString(1, accessKeyId);
      try (var rs = p.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Postgres's plan of {@code sql} with {@code params}, run, with what it read. */
  List<String> explain(String sql, List<Object> params) throws Exception {
    DatabaseUrl o = owner();
    try (Connection c = DriverManager.getConnection(o.jdbcUrl(), o.user(), o.password());
        // The stores' statements number their parameters ($1) where JDBC marks them (?).
        PreparedStatement p =
            c.prepareStatement("EXPLAIN (ANALYZE, BUFFERS) " + sql.replaceAll("\\$[0-9]+", "?"))) {
      for (int i = 0; i < params.size(); i++) {
        p.setObject(i + 1, params.get(i));
      }
      List<String> lines = new ArrayList<>();
      try (var rs = p.executeQuery()) {
        while (rs.next()) {
          lines.add(rs.getString(1));
        }
      }
      return lines;
    }
  }

  /** Takes fresh statistics of {@code tables}, as autovacuum would. */
  void analyze(List<String> tables) throws Exception {
    DatabaseUrl o = owner();
    try (Connection c = DriverManager.getConnection(o.jdbcUrl(), o.user(), o.password());
        var s = c.createStatement()) {
      s.execute("ANALYZE " + String.join(", ", tables));
    }
  }

  /** Rows, changes since the last analyze and when that was, for {@code tables}. */
  List<String> statistics(List<String> tables) throws Exception {
    DatabaseUrl o = owner();
    try (Connection c = DriverManager.getConnection(o.jdbcUrl(), o.user(), o.password());
        PreparedStatement p =
            c.prepareStatement(
                "SELECT relname || ': ' || n_live_tup || ' rows, ' || n_mod_since_analyze"
                    + " || ' changed since analyzed at '"
                    + " || coalesce(greatest(last_analyze, last_autoanalyze)::text, 'never')"
                    + " FROM pg_stat_user_tables WHERE relname = ANY(?) ORDER BY relname")) {
      p.setArray(1, c.createArrayOf("text", tables.toArray()));
      List<String> lines = new ArrayList<>();
      try (var rs = p.executeQuery()) {
        while (rs.next()) {
          lines.add(rs.getString(1));
        }
      }
      return lines;
    }
  }

  /** The highest seq and its hash, straight from the table. */
  Object[] head() throws Exception {
    DatabaseUrl o = owner();
    try (Connection c = DriverManager.getConnection(o.jdbcUrl(), o.user(), o.password());
        var s = c.createStatement();
        var rs = s.executeQuery("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1")) {
      return rs.next() ? new Object[] {rs.getLong(1), rs.getString(2)} : new Object[] {0L, null};
    }
  }

  /**
   * Appends events through the server's own audit writer until the chain holds at least {@code n}:
   * the empty side's chain must be long enough for the catch-up and the incremental walk to cover
   * as many events as the loaded side's do.
   */
  void topUp(long n) throws Exception {
    long missing = n - (Long) head()[0];
    for (long done = 0; done < missing; done += 500) {
      List<Future<?>> batch = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        batch.add(
            server
                .server()
                .auditLog()
                .append(
                    AuditEvent.builder("bench.filler")
                        .actor(AuditEvent.Actor.SYSTEM)
                        .reason("growth bench: makes the empty side's chain long enough")
                        .build()));
      }
      AuditTables.await(Future.all(batch));
    }
  }

  /** Signs in to the web pages as {@code user} and answers the Cookie header a browser sends. */
  String webSession(TestIdp idp, String client, String user, String... groups) throws Exception {
    CookieManager cookies = new CookieManager();
    HttpClient http =
        HttpClient.newBuilder()
            .cookieHandler(cookies)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    idp.nextLogin(user, client, groups);
    String authorize = location(http, uri("/ui/login"), 302);
    URI callback = URI.create(location(http, URI.create(authorize), 302));
    location(http, uri(callback.getRawPath() + "?" + callback.getRawQuery()), 303);
    return cookies.getCookieStore().getCookies().stream()
        .map(HttpCookie::toString)
        .collect(Collectors.joining("; "));
  }

  private static String location(HttpClient http, URI uri, int status) throws Exception {
    HttpResponse<String> r =
        http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != status) {
      throw new IllegalStateException(
          "web sign-in: " + uri.getPath() + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.headers().firstValue("Location").orElseThrow();
  }

  @Override
  public void close() throws Exception {
    server.close();
    pool.close();
    db.close();
  }
}
