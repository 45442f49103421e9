package dev.stint.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/**
 * AWS credentials for a profile, from the cache or from {@code POST /v1/credentials}, as the {@code
 * credential_process} JSON ({@code Version} 1). Shared by {@code credentials} and {@code env}. An
 * entry is cached for the person whose token asked for it, and served only to that person; a token
 * that names no person caches nothing.
 */
final class AwsCredentialSource {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The four values tools need; {@link #toString()} hides the secrets. */
  record Credentials(
      String accessKeyId, String secretAccessKey, String sessionToken, String expiration) {
    @Override
    public String toString() {
      return "Credentials[accessKeyId="
          + accessKeyId
          + ", expiration="
          + expiration
          + ", secrets=***]";
    }
  }

  /** The server's answer, and whose token it was minted for ({@link CacheOwner}). */
  record Fetched(JsonNode answer, Optional<String> owner) {}

  private final CliEnvironment env;
  private final TokenSource tokens;

  AwsCredentialSource(CliEnvironment env, TokenSource tokens) {
    this.env = env;
    this.tokens = tokens;
  }

  /**
   * The cached credential_process JSON of the person the command speaks for, when it is still valid
   * for more than five minutes.
   */
  Optional<String> cached(ServerOptions options, String profile) {
    String server = options.serverUrl(env).toString();
    return tokens
        .owner(options)
        .flatMap(
            owner ->
                new CredentialCache(env.cacheDir())
                    .read(server, profile, owner, env.clock().instant()));
  }

  /** The server's answer for any cloud; a refusal also forgets what was cached. */
  Fetched fetch(ServerOptions options, String profile) {
    URI server = options.serverUrl(env);
    try {
      // The owner is the sent token's: a login changing meanwhile must not inherit this answer.
      String token = tokens.token(options);
      JsonNode answer =
          new ApiClient(server, token, options.insecure())
              .post("/v1/credentials", Map.of("profile", profile))
              .body();
      return new Fetched(answer, CacheOwner.ofToken(token));
    } catch (CliException e) {
      if (e.exitCode() == CliException.REFUSED) {
        new CredentialCache(env.cacheDir()).delete(server.toString(), profile);
      }
      throw e;
    }
  }

  /**
   * Converts an AWS answer to credential_process JSON, ended by a newline like every JSON stint
   * prints, and caches it for its owner. The newline is cached too: the cached paths ({@code
   * CachedCredentials} and the launcher's stint-cached) print the file's bytes as they are, so they
   * serve exactly what this run printed.
   */
  String store(ServerOptions options, String profile, Fetched fetched) {
    String json = toProcessJson(profile, fetched.answer(), fetched.owner()) + "\n";
    if (fetched.owner().isPresent()) {
      new CredentialCache(env.cacheDir())
          .write(options.serverUrl(env).toString(), profile, json, env.clock().instant());
    }
    return json;
  }

  /** The four values of a credential_process JSON (cached or just stored). */
  static Credentials credentials(String profile, String processJson) {
    try {
      JsonNode json = JSON.readTree(processJson);
      return new Credentials(
          json.path("AccessKeyId").asText(),
          json.path("SecretAccessKey").asText(),
          json.path("SessionToken").asText(),
          json.path("Expiration").asText());
    } catch (IOException e) {
      throw new CliException(
          CliException.FAILED, "cached credentials for " + profile + " are unreadable");
    }
  }

  static String toProcessJson(String profile, JsonNode answer, Optional<String> owner) {
    String cloud = answer.path("cloud").asText("");
    if (!"aws".equals(cloud)) {
      throw new CliException(
          CliException.FAILED,
          "profile "
              + profile
              + " is not an AWS profile"
              + (cloud.isEmpty() ? "" : " (cloud: " + cloud + ")"));
    }
    ObjectNode out = JSON.createObjectNode();
    out.put("Version", 1);
    out.put("AccessKeyId", required(answer, "access_key_id"));
    out.put("SecretAccessKey", required(answer, "secret_access_key"));
    out.put("SessionToken", required(answer, "session_token"));
    String expiration = required(answer, "expiration");
    try {
      out.put("Expiration", Instant.parse(expiration).toString());
    } catch (DateTimeParseException e) {
      throw new CliException(
          CliException.UNAVAILABLE, "stint answered an expiration that is not a time");
    }
    // AWS tools ignore keys they do not know; stint revoke and logout find a grant's entries by it.
    String grant = answer.path("grant_id").asText("");
    if (!grant.isEmpty()) {
      out.put("grant_id", grant);
    }
    owner.ifPresent(o -> out.put(CredentialCache.OWNER, o));
    return out.toString();
  }

  private static String required(JsonNode answer, String field) {
    String value = answer.path(field).asText("");
    if (value.isEmpty()) {
      throw new CliException(CliException.UNAVAILABLE, "stint's answer has no " + field);
    }
    return value;
  }
}
