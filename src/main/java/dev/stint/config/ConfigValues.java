package dev.stint.config;

import dev.stint.common.Durations;
import dev.stint.common.SecureUrls;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a single value reads: the shapes many keys share (host and port, http(s) URLs, whole numbers
 * and durations within a range, secrets), and the ranges of the keys no area class holds. Each
 * throws {@link IllegalArgumentException} with a message that never repeats a secret.
 */
final class ConfigValues {
  private static final Pattern HOST_PORT =
      Pattern.compile("^(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.-]+):(\\d{1,5})$");

  private ConfigValues() {}

  static StintConfig.HostPort hostPort(String s) {
    Matcher m = HOST_PORT.matcher(s.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "expected HOST:PORT such as 127.0.0.1:8080, got '" + s + "'");
    }
    int port = Integer.parseInt(m.group(2));
    if (port > 65_535) {
      throw new IllegalArgumentException("port " + port + " is out of range 0-65535");
    }
    String host = m.group(1);
    if (host.startsWith("[")) {
      host = host.substring(1, host.length() - 1);
    }
    return new StintConfig.HostPort(host, port);
  }

  /** The Google and Azure client libraries refuse anything but https for these endpoints. */
  static URI httpsUrl(String s) {
    URI uri = httpUrl(s);
    if (!"https".equals(uri.getScheme())) {
      throw new IllegalArgumentException(
          "must be an https URL, got '" + SecureUrls.shown(uri) + "'");
    }
    return uri;
  }

  static URI httpUrl(String s) {
    URI uri;
    try {
      uri = new URI(s.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("expected an http(s) URL (the value is not repeated)");
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
        || uri.getHost() == null) {
      throw new IllegalArgumentException("expected an http(s) URL (the value is not repeated)");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      // A query is where such URLs carry their secret (?sig=, ?code=): never repeated.
      throw new IllegalArgumentException(
          "URL must not have a query or fragment: '" + SecureUrls.shown(uri) + "?…'");
    }
    if (uri.getRawUserInfo() != null) {
      // A user and password in a URL is a secret: refused, and never repeated.
      throw new IllegalArgumentException(
          "URL must not carry a user or password: '" + SecureUrls.shown(uri) + "'");
    }
    String text = uri.toString();
    return URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
  }

  /** A secret is never echoed back in a problem message. */
  static String secret(String s) {
    if (s.isBlank()) {
      throw new IllegalArgumentException("must not be empty");
    }
    return s;
  }

  static Duration durationInRange(String s, String min, String max) {
    Duration d = Durations.parse(s);
    if (d.compareTo(Durations.parse(min)) < 0 || d.compareTo(Durations.parse(max)) > 0) {
      throw new IllegalArgumentException(
          "must be between " + min + " and " + max + ", got '" + s + "'");
    }
    return d;
  }

  static int intInRange(String s, int min, int max) {
    try {
      int n = Integer.parseInt(s.trim());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // reported below with the expected range
    }
    throw new IllegalArgumentException(
        "expected a whole number from " + min + " to " + max + ", got '" + s + "'");
  }

  /** Between five minutes and a week: shorter cannot finish a task, longer outlives groups. */
  static Duration sessionTtl(String s) {
    Duration d = Durations.parse(s);
    if (d.compareTo(Duration.ofMinutes(5)) < 0 || d.compareTo(Duration.ofDays(7)) > 0) {
      throw new IllegalArgumentException("must be between 5m and 7d");
    }
    return d;
  }

  /**
   * Between one second and an hour: a shorter claim expires while an IAM call is still under way
   * (another replica then repeats it), a longer one holds a dead replica's rows back that long.
   */
  static Duration outboxLease(String s) {
    Duration d = Durations.parse(s);
    if (d.compareTo(Duration.ofSeconds(1)) < 0 || d.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("must be between 1s and 1h");
    }
    return d;
  }

  static Duration auditTimeout(String s) {
    Duration d = Durations.parse(s);
    if (d.compareTo(Duration.ofMinutes(1)) > 0) {
      // Callers (and the credential they wait for) hang this long when the database is down.
      throw new IllegalArgumentException("audit timeout must be at most 1m, got '" + s + "'");
    }
    return d;
  }
}
