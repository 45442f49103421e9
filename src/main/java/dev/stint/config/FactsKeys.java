package dev.stint.config;

import dev.stint.common.Durations;
import dev.stint.common.SecureUrls;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code facts.*} keys, each checked on its own. */
final class FactsKeys {
  /** A provider's name, as policies' {@code fact("NAME")} take it (policy.FactCall.NAME). */
  static final Pattern HTTP_NAME = Pattern.compile("[a-z][a-z0-9_]{0,31}");

  /** The environment's form of {@code facts.http.NAME.url} and {@code .token}. */
  private static final Pattern HTTP_ENV = Pattern.compile("STINT_FACTS_HTTP_(.+)_(URL|TOKEN)");

  private FactsKeys() {}

  /**
   * PagerDuty's REST API, for {@code oncall(SCHEDULE_ID)} in policy conditions; https, or http to a
   * loopback address for a local stand-in. Needs {@link #PAGERDUTY_TOKEN}; absent (both): no
   * on-call lookups, and such conditions are false.
   */
  static final ConfigKey PAGERDUTY_URL =
      ConfigKey.scalar("facts.pagerduty.url", "STINT_FACTS_PAGERDUTY_URL", null);

  /** A PagerDuty REST API key (read access); a secret: never logged or shown. */
  static final ConfigKey PAGERDUTY_TOKEN =
      ConfigKey.scalar("facts.pagerduty.token", "STINT_FACTS_PAGERDUTY_TOKEN", null);

  /**
   * The Jira site, for {@code ticket} in policy conditions; https, or http to a loopback address.
   * Needs {@link #JIRA_TOKEN}; absent (both): no ticket lookups, and {@code ticket.exists} is
   * false.
   */
  static final ConfigKey JIRA_URL =
      ConfigKey.scalar("facts.jira.url", "STINT_FACTS_JIRA_URL", null);

  /**
   * {@code email:api_token} (Jira Cloud, sent as HTTP Basic) or a personal access token (Data
   * Center, sent as a bearer token); a secret: never logged or shown.
   */
  static final ConfigKey JIRA_TOKEN =
      ConfigKey.scalar("facts.jira.token", "STINT_FACTS_JIRA_TOKEN", null);

  /**
   * How long one fact lookup may take (connecting, every page, the answer); a slower one fails and
   * the condition that reads it is false.
   */
  static final ConfigKey TIMEOUT = ConfigKey.scalar("facts.timeout", "STINT_FACTS_TIMEOUT", "2s");

  /**
   * The server's own fact providers, {@code fact("NAME", ...)} in policies: a mapping {@code NAME:
   * {url, token}} in the file, or {@code STINT_FACTS_HTTP_NAME_URL} and {@code
   * STINT_FACTS_HTTP_NAME_TOKEN} (NAME upper-cased) in the environment ({@link #http}). Absent:
   * none, and every {@code fact()} in a policy is false.
   */
  static final ConfigKey HTTP = new ConfigKey("facts.http", null, Optional.empty(), false);

  /** How often facts are looked up again for decisions that wait on them. */
  static final ConfigKey RECHECK = ConfigKey.scalar("facts.recheck", "STINT_FACTS_RECHECK", "1m");

  /** A token travels with every lookup: https, or plain http only to this machine. */
  static URI url(String s) {
    URI uri = ConfigValues.httpUrl(s);
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
   * The server's own providers, {@code facts.http}: {@code NAME: {url, token}} from the file, each
   * field overridden by {@code STINT_FACTS_HTTP_NAME_URL} or {@code _TOKEN}. A name is what a
   * policy's {@code fact("NAME")} names ({@link #HTTP_NAME}); each provider needs both, checked as
   * the other sources' are. Every problem goes to {@code problems}, a token's value never.
   */
  static Map<String, StintConfig.FactsEndpoint> http(
      Optional<ConfigSource.Value> file, Map<String, String> env, List<String> problems) {
    Map<String, Map<String, Raw>> raw = new TreeMap<>();
    file.ifPresent(v -> fromFile(v, raw, problems));
    env.forEach(
        (variable, value) -> {
          Matcher m = HTTP_ENV.matcher(variable);
          if (!m.matches()) {
            return;
          }
          if (!m.group(1).equals(m.group(1).toUpperCase(Locale.ROOT))) {
            // Two spellings of one name would make which one wins depend on the map's order.
            problems.add(
                "env "
                    + variable
                    + ": write the provider's name in capitals, as STINT_FACTS_HTTP_"
                    + m.group(1).toUpperCase(Locale.ROOT)
                    + "_"
                    + m.group(2));
            return;
          }
          String name = m.group(1).toLowerCase(Locale.ROOT);
          if (!HTTP_NAME.matcher(name).matches()) {
            problems.add("env " + variable + ": " + notAName(name));
            return;
          }
          raw.computeIfAbsent(name, n -> new TreeMap<>())
              .put(m.group(2).toLowerCase(Locale.ROOT), new Raw(value, "env " + variable));
        });
    Map<String, StintConfig.FactsEndpoint> out = new TreeMap<>();
    raw.forEach(
        (name, fields) -> endpoint(name, fields, problems).ifPresent(e -> out.put(name, e)));
    return out;
  }

  /** A raw value and where it was set. */
  private record Raw(String value, String origin) {}

  private static void fromFile(
      ConfigSource.Value v, Map<String, Map<String, Raw>> raw, List<String> problems) {
    String key = HTTP.name();
    if (!v.node().isObject()) {
      problems.add(key + " (" + v.origin() + "): expected a mapping of NAME: {url, token}");
      return;
    }
    v.node()
        .fields()
        .forEachRemaining(
            e -> {
              String where = key + "." + e.getKey();
              if (!HTTP_NAME.matcher(e.getKey()).matches()) {
                problems.add(where + " (" + v.origin() + "): " + notAName(e.getKey()));
                return;
              }
              if (!e.getValue().isObject()) {
                problems.add(where + " (" + v.origin() + "): expected {url, token}");
                return;
              }
              Map<String, Raw> fields = raw.computeIfAbsent(e.getKey(), n -> new TreeMap<>());
              e.getValue()
                  .fields()
                  .forEachRemaining(
                      f -> {
                        if (!Set.of("url", "token").contains(f.getKey())) {
                          problems.add(
                              "unknown key '" + where + "." + f.getKey() + "' in " + v.origin());
                        } else if (!f.getValue().isValueNode() || f.getValue().isNull()) {
                          problems.add(
                              where
                                  + "."
                                  + f.getKey()
                                  + " ("
                                  + v.origin()
                                  + "): expected a single value");
                        } else {
                          fields.put(f.getKey(), new Raw(f.getValue().asText(), v.origin()));
                        }
                      });
            });
  }

  private static Optional<StintConfig.FactsEndpoint> endpoint(
      String name, Map<String, Raw> fields, List<String> problems) {
    String key = HTTP.name() + "." + name;
    Raw url = fields.get("url");
    Raw token = fields.get("token");
    if (url == null && token == null) {
      problems.add(key + " needs url and token");
      return Optional.empty();
    }
    if (url == null || token == null) {
      String missing = url == null ? ".url" : ".token";
      String set = url == null ? ".token" : ".url";
      problems.add(key + missing + " is required with " + key + set);
      return Optional.empty();
    }
    Optional<URI> u = checked(key + ".url", url, FactsKeys::url, problems);
    Optional<String> t = checked(key + ".token", token, FactsKeys::token, problems);
    return u.isPresent() && t.isPresent()
        ? Optional.of(new StintConfig.FactsEndpoint(u.get(), t.get()))
        : Optional.empty();
  }

  private static <T> Optional<T> checked(
      String key, Raw raw, Function<String, T> parse, List<String> problems) {
    try {
      return Optional.of(parse.apply(raw.value()));
    } catch (IllegalArgumentException e) {
      problems.add(key + " (" + raw.origin() + "): " + e.getMessage());
      return Optional.empty();
    }
  }

  private static String notAName(String name) {
    return "'"
        + name
        + "' is not a fact provider's name (a lower-case letter, then up to 31 lower-case letters,"
        + " digits or _)";
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
