package dev.stint.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code notify.webhooks}: the signed webhooks, each a URL with the secret its receiver verifies
 * the HMAC with, given inline or named by an environment variable. No problem repeats a secret.
 */
final class WebhookKeys {
  private WebhookKeys() {}

  static List<StintConfig.Webhook> bind(KeyReader keys) {
    ConfigKey key = ConfigKeys.WEBHOOKS;
    Optional<ConfigSource.Value> value = keys.raw(key);
    List<StintConfig.Webhook> out = new ArrayList<>();
    if (value.isEmpty()) {
      return out;
    }
    if (!value.get().node().isArray()) {
      keys.problem(key, value.get(), "expected a list of {url, secret_env} entries");
      return out;
    }
    int i = 0;
    for (JsonNode item : value.get().node()) {
      String where = key.name() + "[" + i++ + "]";
      webhook(item, new Place(where, value.get().origin()), keys).ifPresent(out::add);
    }
    return out;
  }

  /** Where an entry is, for its problems: {@code notify.webhooks[2]} in a file or variable. */
  private record Place(String where, String origin) {
    String at(String field) {
      return where + field + " (" + origin + ")";
    }
  }

  private static Optional<StintConfig.Webhook> webhook(JsonNode item, Place at, KeyReader keys) {
    List<String> problems = keys.problems();
    if (!item.isObject()) {
      problems.add(at.at("") + ": expected {url, secret_env} or {url, secret}");
      return Optional.empty();
    }
    Iterator<String> names = item.fieldNames();
    while (names.hasNext()) {
      String n = names.next();
      if (!Set.of("url", "secret", "secret_env").contains(n)) {
        problems.add("unknown key '" + at.where() + "." + n + "' in " + at.origin());
      }
    }
    URI url = null;
    try {
      url = ConfigValues.httpUrl(item.path("url").asText(""));
    } catch (IllegalArgumentException e) {
      problems.add(at.at(".url") + ": " + e.getMessage());
    }
    String secret = item.path("secret").asText("");
    String secretEnv = item.path("secret_env").asText("");
    if (!secretEnv.isEmpty()) {
      secret = keys.env().getOrDefault(secretEnv, "");
      if (secret.isEmpty()) {
        problems.add(at.at(".secret_env") + ": environment variable " + secretEnv + " is not set");
      }
    } else if (secret.length() < 16) {
      // Webhook receivers verify the HMAC; a short or missing secret makes it forgeable.
      problems.add(
          at.at("")
              + ": a secret of at least 16 characters is required"
              + " (secret_env: NAME is preferred over an inline secret)");
    }
    return url == null ? Optional.empty() : Optional.of(new StintConfig.Webhook(url, secret));
  }
}
