package dev.stint.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.common.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The {@code activity.*} keys, each checked on its own. */
final class ActivityKeys {
  /** Where CloudTrail logs the calls of global services such as IAM and STS's global endpoint. */
  static final String GLOBAL_REGION = "us-east-1";

  static final int INGEST_TOKEN_MIN = 32;

  private ActivityKeys() {}

  /**
   * Between one minute and a day: more often spends the cloud's lookup allowance (a couple of calls
   * a second per account and region) on nothing new, less often shows use too late.
   */
  static Duration lookupEvery(String s) {
    return between(s, Duration.ofMinutes(1), Duration.ofDays(1));
  }

  /** Between one minute and a day: the cloud's records of a call arrive minutes after it. */
  static Duration settle(String s) {
    return between(s, Duration.ofMinutes(1), Duration.ofDays(1));
  }

  /**
   * At least 32 printable characters without spaces: the routes such a token guards (the CloudTrail
   * ingest, the SCIM directory) are open to the network, and anyone who guesses it can write calls
   * onto requests or people into the directory. The value is never echoed.
   */
  static String bearerToken(String s) {
    String t = s.strip();
    if (t.length() < INGEST_TOKEN_MIN || !t.chars().allMatch(c -> c > 32 && c < 127)) {
      throw new IllegalArgumentException(
          "must be at least "
              + INGEST_TOKEN_MIN
              + " printable characters without spaces, such as"
              + " `openssl rand -hex 32` gives (the value is not shown)");
    }
    return t;
  }

  private static Duration between(String s, Duration min, Duration max) {
    Duration d = Durations.parse(s);
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      throw new IllegalArgumentException(
          "must be between " + Durations.format(min) + " and " + Durations.format(max));
    }
    return d;
  }

  /** A non-empty list of AWS regions, each named once. */
  static List<String> regions(JsonNode node) {
    if (!node.isArray() || node.isEmpty()) {
      throw new IllegalArgumentException("expected a list of AWS regions such as [eu-west-1]");
    }
    Set<String> out = new LinkedHashSet<>();
    for (JsonNode item : node) {
      out.add(AwsKeys.region(item.isTextual() ? item.asText().strip() : ""));
    }
    return List.copyOf(out);
  }

  /** The server's region, then the global services' one. */
  static List<String> defaultRegions(Optional<String> awsRegion) {
    List<String> out = new ArrayList<>();
    awsRegion.ifPresent(out::add);
    if (!out.contains(GLOBAL_REGION)) {
      out.add(GLOBAL_REGION);
    }
    return out;
  }
}
