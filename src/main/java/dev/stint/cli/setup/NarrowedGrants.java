package dev.stint.cli.setup;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.cli.ApiClient;
import dev.stint.common.Fingerprints;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The grants {@code stint setup aws} writes an AWS profile for when a profile is narrowed: its
 * credentials answer only with the values a grant was approved for, so each active grant of the
 * caller's gets a profile of its own, passing those values as {@code --param} flags.
 *
 * <p>Each is named {@code PROFILE.VALUE} (several values joined by {@code .} in parameter-name
 * order), which a person reads at a glance: {@code s3-read.team-logs}. A value that is not a plain
 * word ({@code [A-Za-z0-9_-]}, not starting {@code sha-}), or names longer than {@link #MAX_NAME},
 * give {@code PROFILE.sha-} and the first 12 hex digits of the values' SHA-256 instead: a dot in a
 * value would make two grants' names one, and AWS tools read only some characters in a profile
 * name.
 */
final class NarrowedGrants {
  static final int MAX_NAME = 64;
  private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_-]+");

  private NarrowedGrants() {}

  /**
   * The values of the caller's active grants, by profile, each set once, from every page of {@code
   * GET /v1/requests?mine=true&state=active}; grants without parameters are left out.
   */
  static Map<String, List<SortedMap<String, String>>> active(ApiClient api) {
    Map<String, List<SortedMap<String, String>>> byProfile = new LinkedHashMap<>();
    Map<String, String> query = new LinkedHashMap<>();
    query.put("mine", "true");
    query.put("state", "active");
    while (true) {
      JsonNode page = api.get("/v1/requests", query).body();
      for (JsonNode request : page.path("requests")) {
        SortedMap<String, String> values = values(request.path("parameters"));
        List<SortedMap<String, String>> known =
            byProfile.computeIfAbsent(request.path("profile").asText(), p -> new ArrayList<>());
        if (!values.isEmpty() && !known.contains(values)) {
          known.add(values);
        }
      }
      String next = page.path("next_cursor").asText("");
      if (next.isEmpty()) {
        return byProfile;
      }
      query.put("cursor", next);
    }
  }

  /** The AWS profile name for {@code profile}'s grant with these values (see the class comment). */
  static String awsProfile(String profile, SortedMap<String, String> values) {
    StringBuilder name = new StringBuilder(profile);
    boolean plain = true;
    for (String value : values.values()) {
      plain &= WORD.matcher(value).matches() && !value.startsWith("sha-");
      name.append('.').append(value);
    }
    if (plain && name.length() <= MAX_NAME) {
      return name.toString();
    }
    StringBuilder all = new StringBuilder();
    values.forEach((k, v) -> all.append(k).append('=').append(v).append('\n'));
    String hash = Fingerprints.sha256Hex(all.toString().getBytes(StandardCharsets.UTF_8));
    return profile + ".sha-" + hash.substring(0, 12);
  }

  private static SortedMap<String, String> values(JsonNode parameters) {
    SortedMap<String, String> values = new TreeMap<>();
    parameters.fields().forEachRemaining(p -> values.put(p.getKey(), p.getValue().asText()));
    return Collections.unmodifiableSortedMap(values);
  }
}
