package dev.stint.config;

import dev.stint.common.Durations;
import dev.stint.common.SecureUrls;
import java.net.URI;
import java.time.Duration;

/** The {@code facts.*} keys, each checked on its own. */
final class FactsKeys {
  private FactsKeys() {}

  /** A token travels with every lookup: https, or plain http only to this machine. */
  static URI url(String s) {
    URI uri = ConfigLoader.httpUrl(s);
    if (!SecureUrls.httpsOrLoopback(uri)) {
      throw new IllegalArgumentException(
          "must be https, or http to a loopback address, got '" + SecureUrls.shown(uri) + "'");
    }
    return uri;
  }

  /** Printable, without spaces: it goes into a header as it is. The value is never echoed. */
  static String token(String s) {
    String t = s.strip();
    if (t.isEmpty() || !t.chars().allMatch(c -> c > 32 && c < 127)) {
      throw new IllegalArgumentException(
          "must be printable characters without spaces (the value is not shown)");
    }
    return t;
  }

  /**
   * Between one second and thirty: a decision waits for its lookups, and a fact that cannot be had
   * in that long is better missing (its condition false) than holding the request.
   */
  static Duration timeout(String s) {
    return between(s, Duration.ofSeconds(1), Duration.ofSeconds(30));
  }

  /** Between ten seconds and an hour: more often spends the sources' rate limits on nothing new. */
  static Duration recheck(String s) {
    return between(s, Duration.ofSeconds(10), Duration.ofHours(1));
  }

  private static Duration between(String s, Duration min, Duration max) {
    Duration d = Durations.parse(s);
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      throw new IllegalArgumentException(
          "must be between " + Durations.format(min) + " and " + Durations.format(max));
    }
    return d;
  }
}
