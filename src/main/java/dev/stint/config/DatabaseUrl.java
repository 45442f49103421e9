package dev.stint.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A parsed {@code postgresql://user:password@host:port/database?param=value} URL. The password is
 * never part of {@link #toString()} or of any error message, because both end up in logs.
 */
public record DatabaseUrl(
    String host,
    int port,
    String database,
    String user,
    String password,
    Map<String, String> params) {

  public DatabaseUrl {
    params = Map.copyOf(params);
  }

  /** Parses a libpq-style URL; the message of the exception never repeats the input. */
  public static DatabaseUrl parse(String text) {
    final String shape = "expected postgresql://USER:PASSWORD@HOST:PORT/DATABASE";
    URI uri;
    try {
      uri = new URI(text.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(shape + " (not a valid URL)");
    }
    String scheme = uri.getScheme();
    if (!"postgresql".equals(scheme) && !"postgres".equals(scheme)) {
      throw new IllegalArgumentException(shape + " (scheme must be postgresql)");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new IllegalArgumentException(shape + " (no host)");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    if (path.length() <= 1 || path.indexOf('/', 1) >= 0) {
      throw new IllegalArgumentException(shape + " (no database name)");
    }
    String user = "postgres";
    String password = "";
    String info = uri.getRawUserInfo();
    if (info != null) {
      int colon = info.indexOf(':');
      user = decode(colon < 0 ? info : info.substring(0, colon));
      password = colon < 0 ? "" : decode(info.substring(colon + 1));
    }
    Map<String, String> params = queryParams(uri.getRawQuery());
    checkTls(params);
    return new DatabaseUrl(
        uri.getHost(),
        uri.getPort() < 0 ? 5432 : uri.getPort(),
        decode(path.substring(1)),
        user,
        password,
        params);
  }

  /** The TLS modes libpq knows. */
  static final Set<String> SSL_MODES =
      Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

  /**
   * A mode that verifies the server needs the CA to verify it with: libpq reads one from {@code
   * ~/.postgresql/root.crt} by default, stint only from {@code sslrootcert}, so that the check
   * cannot silently depend on a file nobody configured.
   */
  private static void checkTls(Map<String, String> params) {
    String mode = params.get("sslmode");
    if (mode != null && !SSL_MODES.contains(mode)) {
      throw new IllegalArgumentException(
          "sslmode must be one of disable, allow, prefer, require, verify-ca, verify-full");
    }
    if (mode != null && mode.startsWith("verify-") && !params.containsKey("sslrootcert")) {
      throw new IllegalArgumentException(
          "sslmode="
              + mode
              + " needs sslrootcert=FILE: the CA certificate (PEM) the server's certificate is"
              + " checked against");
    }
  }

  /** The same URL with this password (one read from a file, say). */
  public DatabaseUrl withPassword(String newPassword) {
    return new DatabaseUrl(host, port, database, user, newPassword, params);
  }

  /** The JDBC URL for Flyway, without user or password (those are passed separately). */
  public String jdbcUrl() {
    StringBuilder b =
        new StringBuilder("jdbc:postgresql://")
            .append(host)
            .append(':')
            .append(port)
            .append('/')
            .append(database);
    String sep = "?";
    for (var e : params.entrySet()) {
      b.append(sep).append(e.getKey()).append('=').append(e.getValue());
      sep = "&";
    }
    return b.toString();
  }

  /**
   * The full URL, password included: for handing to a child process or config only, never for
   * logging (use {@link #toString()}).
   */
  public String withCredentials() {
    StringBuilder b = new StringBuilder("postgresql://").append(encode(user));
    if (!password.isEmpty()) {
      b.append(':').append(encode(password));
    }
    b.append('@').append(host).append(':').append(port).append('/').append(encode(database));
    String sep = "?";
    for (var e : params.entrySet()) {
      b.append(sep).append(encode(e.getKey())).append('=').append(encode(e.getValue()));
      sep = "&";
    }
    return b.toString();
  }

  @Override
  public String toString() {
    return "postgresql://" + user + ":***@" + host + ":" + port + "/" + database;
  }

  private static Map<String, String> queryParams(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
      }
    }
    return out;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
