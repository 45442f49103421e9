package dev.stint.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stint.common.Durations;
import dev.stint.common.SecureUrls;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Binds {@code audit.sinks}: a list of {@code {type, name, url, token_env, bucket, prefix,
 * endpoint, region, lag_alarm}}. {@code name} defaults to the type and names the sink's cursor, so
 * it must be unique and should never change; {@code lag_alarm} defaults to 15m.
 */
final class SinkKeys {
  static final String DEFAULT_LAG_ALARM = "15m";
  private static final Set<String> TYPES = Set.of("cloudevents", "ocsf", "splunk_hec", "s3");
  private static final Set<String> KEYS =
      Set.of(
          "type",
          "name",
          "url",
          "token_env",
          "bucket",
          "prefix",
          "endpoint",
          "region",
          "lag_alarm");
  private static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9_-]{0,62}$");

  private SinkKeys() {}

  static List<SinkConfig> bind(
      JsonNode node, String where, Map<String, String> env, List<String> problems) {
    List<SinkConfig> out = new ArrayList<>();
    if (!node.isArray()) {
      problems.add(where + ": expected a list of {type: cloudevents|ocsf|splunk_hec|s3, ...}");
      return out;
    }
    Set<String> names = new HashSet<>();
    int i = 0;
    for (JsonNode item : node) {
      String at = where + "[" + i++ + "]";
      sink(item, at, env, problems)
          .ifPresent(
              s -> {
                if (!names.add(s.name())) {
                  problems.add(
                      at
                          + ".name: '"
                          + s.name()
                          + "' is used twice; each sink needs its own"
                          + " name (it keys the sink's cursor)");
                }
                out.add(s);
              });
    }
    return out;
  }

  private static Optional<SinkConfig> sink(
      JsonNode item, String where, Map<String, String> env, List<String> problems) {
    if (!item.isObject()) {
      problems.add(where + ": expected {type: cloudevents|ocsf|splunk_hec|s3, ...}");
      return Optional.empty();
    }
    int before = problems.size();
    for (Iterator<String> it = item.fieldNames(); it.hasNext(); ) {
      String n = it.next();
      if (!KEYS.contains(n)) {
        problems.add("unknown key '" + n + "' in " + where);
      }
    }
    String type = item.path("type").asText("");
    if (!TYPES.contains(type)) {
      problems.add(
          where + ".type: expected cloudevents, ocsf, splunk_hec or s3, got '" + type + "'");
      return Optional.empty();
    }
    String name = item.path("name").asText(type);
    if (!NAME.matcher(name).matches()) {
      problems.add(
          where + ".name: expected lowercase letters, digits, _ and -, got '" + name + "'");
    }
    Optional<URI> url = "s3".equals(type) ? Optional.empty() : url(item, where, problems);
    Optional<String> token = Optional.empty();
    if ("splunk_hec".equals(type)) {
      String var = item.path("token_env").asText("");
      token = Optional.ofNullable(env.get(var)).filter(t -> !t.isBlank());
      if (token.isEmpty()) {
        problems.add(
            where
                + ".token_env: the environment variable holding the HEC token"
                + (var.isEmpty() ? " is required" : " (" + var + ") is not set"));
      }
    }
    Optional<CheckpointConfig.S3> s3 =
        "s3".equals(type) ? s3(item, where, problems) : Optional.empty();
    Duration lag = Duration.ofMinutes(15);
    try {
      lag = Durations.parse(item.path("lag_alarm").asText(DEFAULT_LAG_ALARM));
    } catch (IllegalArgumentException e) {
      problems.add(where + ".lag_alarm: " + e.getMessage());
    }
    return problems.size() > before
        ? Optional.empty()
        : Optional.of(new SinkConfig(name, type, url, token, s3, lag));
  }

  private static Optional<URI> url(JsonNode item, String where, List<String> problems) {
    try {
      URI uri = new URI(item.path("url").asText("").strip());
      if (SecureUrls.httpsOrLoopback(uri) && uri.getRawUserInfo() == null) {
        return Optional.of(uri);
      }
    } catch (URISyntaxException e) {
      // reported below, without the value
    }
    problems.add(
        where
            + ".url: an https URL (http only to a loopback address), without user"
            + " info, is required; the value is not shown");
    return Optional.empty();
  }

  private static Optional<CheckpointConfig.S3> s3(
      JsonNode item, String where, List<String> problems) {
    ObjectNode copy = item.deepCopy();
    copy.remove(List.of("type", "name", "lag_alarm"));
    return CheckpointKeys.s3(copy, where, problems).map(a -> (CheckpointConfig.S3) a);
  }
}
