package dev.stint.cli.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stint.cli.ApiClient;
import dev.stint.cli.CliEnvironment;
import dev.stint.cli.CliException;
import dev.stint.cli.ParameterOptions;
import dev.stint.cli.ServerOptions;
import dev.stint.cli.TokenSource;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * AWS credentials for a profile, from the cache or from {@code POST /v1/credentials}, as the {@code
 * credential_process} JSON ({@code Version} 1). Shared by {@code credentials} and {@code env}. An
 * entry is cached for the person whose token asked for it, and served only to that person; a token
 * that names no person caches nothing.
 */
public final class AwsCredentialSource {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The four values tools need, and the profile's region when the policy names one; {@link
   * #toString()} hides the secrets.
   */
  record Credentials(
      String accessKeyId,
      String secretAccessKey,
      String sessionToken,
      String expiration,
      Optional<String> region) {
    @Override
    public String toString() {
      return "Credentials[accessKeyId="
          + accessKeyId
          + ", expiration="
          + expiration
          + ", region="
          + region.orElse("")
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
   * for more than five minutes and its grant still stands: an entry past its check is served again
   * only once the server says so ({@link #stillServed}).
   */
  Optional<String> cached(ServerOptions options, String profile, Map<String, String> parameters) {
    String server = options.serverUrl(env).toString();
    Optional<String> owner = tokens.owner(options);
    if (owner.isEmpty()) {
      return Optional.empty();
    }
    CredentialCache cache = new CredentialCache(env.cacheDir());
    Instant now = env.clock().instant();
    Optional<String> fresh = cache.read(server, profile, parameters, owner.get(), now);
    if (fresh.isPresent()) {
      return fresh;
    }
    return cache
        .due(server, profile, parameters, owner.get(), now)
        .flatMap(json -> stillServed(options, new Entry(profile, parameters), cache, json));
  }

  /**
   * Asks the server whether a cached entry's grant still stands ({@code GET /v1/credentials/{id}}):
   * served for another {@link CredentialCache#CHECK_EVERY} when it does, forgotten when it does not
   * (the caller then fetches afresh). A server out of reach serves it as it is: the deny in IAM,
   * not this cache, is what ends a revoked grant's keys, and an outage of stint must not take AWS
   * tools down with it.
   */
  private Optional<String> stillServed(
      ServerOptions options, Entry entry, CredentialCache cache, String json) {
    String server = options.serverUrl(env).toString();
    String id = CredentialCache.credentialOf(json);
    if (id.isEmpty() || !id.matches("crd_[a-z0-9]+")) {
      cache.delete(server, entry.profile(), entry.parameters());
      return Optional.empty();
    }
    JsonNode answer;
    try {
      answer =
          new ApiClient(options.serverUrl(env), tokens.token(options), options.insecure())
              .get("/v1/credentials/" + id, Map.of())
              .body();
    } catch (CliException e) {
      if (e.exitCode() == CliException.UNAVAILABLE) {
        env.err().println("stint: " + e.getMessage() + "; serving the cached credentials");
        return Optional.of(json);
      }
      cache.delete(server, entry.profile(), entry.parameters());
      return Optional.empty();
    }
    if (!answer.path("serve").asBoolean(false)) {
      cache.delete(server, entry.profile(), entry.parameters());
      return Optional.empty();
    }
    return Optional.of(
        cache.checkedAgain(
            server, entry.profile(), entry.parameters(), json, env.clock().instant()));
  }

  /** Which cache entry: the profile and the values its parameters were asked with. */
  private record Entry(String profile, Map<String, String> parameters) {}

  /**
   * The server's answer for any cloud, for {@code profile} with {@code parameters} (sent only when
   * there are some); a refusal also forgets what was cached for them, and one about the parameters
   * says where to look them up.
   */
  Fetched fetch(ServerOptions options, String profile, Map<String, String> parameters) {
    URI server = options.serverUrl(env);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("profile", profile);
    if (!parameters.isEmpty()) {
      body.put("parameters", parameters);
    }
    try {
      // The owner is the sent token's: a login changing meanwhile must not inherit this answer.
      String token = tokens.token(options);
      JsonNode answer =
          new ApiClient(server, token, options.insecure()).post("/v1/credentials", body).body();
      return new Fetched(answer, CacheOwner.ofToken(token));
    } catch (CliException e) {
      if (e.exitCode() == CliException.REFUSED) {
        new CredentialCache(env.cacheDir()).delete(server.toString(), profile, parameters);
      }
      throw ParameterOptions.explained(e, profile);
    }
  }

  /**
   * Converts an AWS answer to credential_process JSON, ended by a newline like every JSON stint
   * prints, and caches it for its owner. The newline is cached too: the cached paths ({@code
   * CachedCredentials} and the launcher's stint-cached) print the file's bytes as they are, so they
   * serve exactly what this run printed.
   */
  String store(
      ServerOptions options, String profile, Map<String, String> parameters, Fetched fetched) {
    Instant now = env.clock().instant();
    String json =
        toProcessJson(
                profile, fetched.answer(), fetched.owner(), now.plus(CredentialCache.CHECK_EVERY))
            + "\n";
    if (fetched.owner().isPresent()) {
      new CredentialCache(env.cacheDir())
          .write(options.serverUrl(env).toString(), profile, parameters, json, now);
    }
    return json;
  }

  /** The values of a cache entry (cached or just stored). */
  static Credentials credentials(String profile, String processJson) {
    try {
      JsonNode json = JSON.readTree(processJson);
      String region = json.path(CredentialCache.REGION).asText("");
      return new Credentials(
          json.path("AccessKeyId").asText(),
          json.path("SecretAccessKey").asText(),
          json.path("SessionToken").asText(),
          json.path("Expiration").asText(),
          region.isEmpty() ? Optional.empty() : Optional.of(region));
    } catch (IOException e) {
      throw new CliException(
          CliException.FAILED, "cached credentials for " + profile + " are unreadable");
    }
  }

  /** The credential_process JSON, without what only a cache entry carries. */
  public static String toProcessJson(String profile, JsonNode answer) {
    return processJson(profile, answer).toString();
  }

  /**
   * A cache entry: the credential_process JSON, the profile's region (for {@code stint env}, which
   * serves from the cache too), its owner, its credential id and the time until which it is served
   * without asking the server.
   */
  static String toProcessJson(
      String profile, JsonNode answer, Optional<String> owner, Instant checkedUntil) {
    ObjectNode out = processJson(profile, answer);
    region(answer).ifPresent(r -> out.put(CredentialCache.REGION, r));
    owner.ifPresent(o -> out.put(CredentialCache.OWNER, o));
    String credential = answer.path("credential_id").asText("");
    if (!credential.isEmpty()) {
      out.put(CredentialCache.CREDENTIAL_ID, credential);
    }
    out.put(CredentialCache.CHECKED_UNTIL, checkedUntil.toString());
    return out.toString();
  }

  private static ObjectNode processJson(String profile, JsonNode answer) {
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
    return out;
  }

  /** The profile's region from a server's AWS answer, when its policy names one. */
  public static Optional<String> region(JsonNode answer) {
    String region = answer.path("region").asText("");
    return region.isEmpty() ? Optional.empty() : Optional.of(region);
  }

  private static String required(JsonNode answer, String field) {
    String value = answer.path(field).asText("");
    if (value.isEmpty()) {
      throw new CliException(CliException.UNAVAILABLE, "stint's answer has no " + field);
    }
    return value;
  }
}
