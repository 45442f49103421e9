package dev.stint.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.common.Durations;
import dev.stint.common.SecureUrls;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Binds {@code audit.checkpoints}. Defaults: {@code every_events} 1000, {@code every_seconds} 60,
 * {@code verify_every} 1m; at least one anchor is required, since a checkpoint kept only in the
 * database it vouches for proves nothing.
 */
final class CheckpointKeys {
  static final int DEFAULT_EVERY_EVENTS = 1000;
  static final int DEFAULT_EVERY_SECONDS = 60;
  static final String DEFAULT_VERIFY_EVERY = "1m";
  private static final Set<String> KEYS =
      Set.of("every_events", "every_seconds", "verify_every", "anchors");
  private static final Set<String> S3_KEYS =
      Set.of("bucket", "prefix", "endpoint", "region", "object_lock_mode", "retention");

  /** S3's bucket naming rules, as far as a name alone can be checked. */
  private static final Pattern DAYS = Pattern.compile("^(\\d+)d$");

  private static final Pattern BUCKET = Pattern.compile("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$");

  private CheckpointKeys() {}

  static Optional<CheckpointConfig> bind(JsonNode node, String where, List<String> problems) {
    int before = problems.size();
    if (!node.isObject()) {
      problems.add(where + ": expected {every_events, every_seconds, anchors: [...]}");
      return Optional.empty();
    }
    unknownKeys(node, KEYS, where, problems);
    int everyEvents = positive(node, "every_events", DEFAULT_EVERY_EVENTS, where, problems);
    int everySeconds = positive(node, "every_seconds", DEFAULT_EVERY_SECONDS, where, problems);
    Duration verifyEvery = Duration.ofMinutes(1);
    try {
      verifyEvery = Durations.parse(node.path("verify_every").asText(DEFAULT_VERIFY_EVERY));
      if (verifyEvery.compareTo(Duration.ofSeconds(1)) < 0) {
        problems.add(where + ".verify_every: must be at least 1s");
      }
    } catch (IllegalArgumentException e) {
      problems.add(where + ".verify_every: " + e.getMessage());
    }
    List<CheckpointConfig.Anchor> anchors = new ArrayList<>();
    JsonNode list = node.path("anchors");
    if (!list.isArray() || list.isEmpty()) {
      problems.add(
          where
              + ".anchors: at least one anchor is required: [{dir: PATH} |"
              + " {s3: {bucket, prefix}} | {webhook: URL}]");
    } else {
      int i = 0;
      for (JsonNode item : list) {
        anchor(item, where + ".anchors[" + i++ + "]", problems).ifPresent(anchors::add);
      }
    }
    if (problems.size() > before) {
      return Optional.empty();
    }
    return Optional.of(
        new CheckpointConfig(everyEvents, Duration.ofSeconds(everySeconds), verifyEvery, anchors));
  }

  private static Optional<CheckpointConfig.Anchor> anchor(
      JsonNode item, String where, List<String> problems) {
    if (!item.isObject() || item.size() != 1) {
      problems.add(
          where
              + ": expected exactly one of {dir: PATH}, {s3: {bucket, prefix}},"
              + " {webhook: URL}");
      return Optional.empty();
    }
    String kind = item.fieldNames().next();
    JsonNode value = item.get(kind);
    switch (kind) {
      case "dir":
        if (!value.isTextual() || value.asText().isBlank()) {
          problems.add(where + ".dir: expected a directory path");
          return Optional.empty();
        }
        return Optional.of(new CheckpointConfig.Dir(Path.of(value.asText()).toAbsolutePath()));
      case "webhook":
        return webhook(value, where + ".webhook", problems);
      case "s3":
        return s3(value, where + ".s3", problems);
      default:
        problems.add(where + ": unknown anchor '" + kind + "' (dir, s3 or webhook)");
        return Optional.empty();
    }
  }

  private static Optional<CheckpointConfig.Anchor> webhook(
      JsonNode value, String where, List<String> problems) {
    try {
      URI uri = new URI(value.asText("").strip());
      if (!SecureUrls.httpsOrLoopback(uri) || uri.getRawUserInfo() != null) {
        problems.add(
            where
                + ": must be an https URL (http only to a loopback address), without"
                + " user info; the value is not shown");
        return Optional.empty();
      }
      return Optional.of(new CheckpointConfig.Webhook(uri));
    } catch (URISyntaxException e) {
      problems.add(where + ": not a URL (the value is not shown)");
      return Optional.empty();
    }
  }

  static Optional<CheckpointConfig.Anchor> s3(JsonNode value, String where, List<String> problems) {
    if (!value.isObject()) {
      problems.add(where + ": expected {bucket, prefix}");
      return Optional.empty();
    }
    int before = problems.size();
    unknownKeys(value, S3_KEYS, where, problems);
    String bucket = value.path("bucket").asText("");
    if (!BUCKET.matcher(bucket).matches()) {
      problems.add(
          where
              + ".bucket: expected an S3 bucket name (3-63 lowercase letters, digits,"
              + " dots, hyphens), got '"
              + bucket
              + "'");
    }
    String prefix = value.path("prefix").asText("");
    if (prefix.startsWith("/") || prefix.contains("..")) {
      problems.add(where + ".prefix: must not start with / or contain ..");
    }
    Optional<URI> endpoint = Optional.empty();
    if (value.has("endpoint")) {
      String e = value.path("endpoint").asText("");
      if (!SecureUrls.httpsOrLoopback(e)) {
        problems.add(where + ".endpoint: must be an https URL (http only to a loopback address)");
      } else {
        endpoint = Optional.of(URI.create(e));
      }
    }
    Optional<String> mode =
        Optional.ofNullable(value.get("object_lock_mode")).map(JsonNode::asText);
    if (mode.isPresent() && !Set.of("GOVERNANCE", "COMPLIANCE").contains(mode.get())) {
      problems.add(where + ".object_lock_mode: expected GOVERNANCE or COMPLIANCE");
    }
    Optional<Duration> retention = Optional.empty();
    try {
      retention = Optional.ofNullable(value.get("retention")).map(n -> retention(n.asText()));
    } catch (IllegalArgumentException e) {
      problems.add(where + ".retention: " + e.getMessage());
    }
    if (mode.isPresent() != value.has("retention")) {
      problems.add(where + ": object_lock_mode and retention go together (both or neither)");
    }
    if (problems.size() > before) {
      return Optional.empty();
    }
    return Optional.of(
        new CheckpointConfig.S3(
            bucket,
            prefix,
            endpoint,
            Optional.ofNullable(value.get("region")).map(JsonNode::asText),
            mode,
            retention));
  }

  /**
   * Whole days ({@code 400d}, up to a century: locks and audit events are kept for years), or any
   * duration; also {@code audit.retention}'s form.
   */
  static Duration retention(String s) {
    Matcher days = DAYS.matcher(s.strip());
    if (days.matches() && days.group(1).length() <= 5) {
      long n = Long.parseLong(days.group(1));
      if (n >= 1 && n <= 36_500) {
        return Duration.ofDays(n);
      }
      throw new IllegalArgumentException("expected 1d to 36500d, got '" + s + "'");
    }
    return Durations.parse(s);
  }

  private static int positive(
      JsonNode node, String key, int def, String where, List<String> problems) {
    JsonNode v = node.get(key);
    if (v == null) {
      return def;
    }
    if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 1) {
      problems.add(
          where + "." + key + ": expected a whole number of at least 1, got '" + v.asText() + "'");
      return def;
    }
    return v.asInt();
  }

  private static void unknownKeys(
      JsonNode node, Set<String> known, String where, List<String> problems) {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String n = names.next();
      if (!known.contains(n)) {
        problems.add("unknown key '" + n + "' in " + where);
      }
    }
  }

  /** At least a day: the hourly round must never catch the month being written. */
  static Duration auditRetention(String s) {
    Duration d = retention(s);
    if (d.compareTo(Duration.ofDays(1)) < 0) {
      throw new IllegalArgumentException("must be at least 1d, got '" + s + "'");
    }
    return d;
  }

  /**
   * Retention drops audit rows, so it must have somewhere to keep them first: a directory or S3
   * anchor (a webhook only receives the manifest). Never drop what is not kept.
   */
  static void retentionNeedsAStore(StintConfig.AuditConfig audit, List<String> problems) {
    boolean stores =
        audit
            .checkpoints()
            .map(
                c ->
                    c.anchors().stream()
                        .anyMatch(
                            a ->
                                a instanceof CheckpointConfig.Dir
                                    || a instanceof CheckpointConfig.S3))
            .orElse(false);
    if (audit.retention().isPresent() && !stores) {
      problems.add(
          ConfigKeys.AUDIT_RETENTION.name()
              + " needs an "
              + ConfigKeys.AUDIT_CHECKPOINTS.name()
              + " anchor that stores objects (dir or s3): old audit events are exported"
              + " there before they are dropped, and are never dropped without a copy");
    }
  }
}
