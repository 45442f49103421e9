package dev.stint.cli.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.cli.ApiClient;
import dev.stint.cli.CliEnvironment;
import dev.stint.cli.CliException;
import dev.stint.cli.ServerOptions;
import dev.stint.cli.lease.LeaseToken;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/**
 * {@code stint credentials --lease-file FILE} (or {@code STINT_LEASE_TOKEN}): credentials minted on
 * a lease, {@code POST /v1/credentials {lease}} with the lease token as the bearer. The person's
 * login is neither read nor sent: a lease is for whoever holds its token, with or without a login
 * of their own. AWS answers are cached for the lease ({@link LeaseCache}: apart from the person's,
 * served only for the same token but never holding it, until shortly before they expire), so that
 * the AWS tools starting it for every call do not mint a session each.
 */
final class LeaseCredentials {
  private LeaseCredentials() {}

  /**
   * The answer as {@code credentials} prints it: credential_process JSON for AWS, from the cache
   * unless {@code refresh}, else minted and cached.
   */
  static String mint(CliEnvironment env, ServerOptions server, LeaseToken token, boolean refresh) {
    String url = server.serverUrl(env).toString();
    LeaseCache cache = new LeaseCache(env.cacheDir());
    if (!refresh) {
      Optional<String> cached = cache.readMintedWith(url, token.bearer(), env.clock().instant());
      if (cached.isPresent()) {
        return cached.get();
      }
    }
    ApiClient api = new ApiClient(server.serverUrl(env), token.bearer(), server.insecure());
    JsonNode answer;
    try {
      answer = api.post("/v1/credentials", Map.of("lease", token.lease())).body();
    } catch (CliException e) {
      if (e.exitCode() == CliException.REFUSED) {
        cache.forgetMintedWith(url, token.bearer(), env.clock().instant());
      }
      throw e;
    }
    if (!"aws".equals(answer.path("cloud").asText())) {
      return answer.toString() + "\n";
    }
    String json =
        AwsCredentialSource.toProcessJson(
                token.lease(),
                answer,
                Optional.of(LeaseCache.owner(token.bearer())),
                expiration(answer))
            + "\n";
    cache.write(url, token.lease(), json, env.clock().instant());
    return json;
  }

  /**
   * When the answered credentials expire: the entry's {@code checked_until} too, as nothing but a
   * new mint can tell the CLI more about a lease.
   */
  private static Instant expiration(JsonNode answer) {
    try {
      return Instant.parse(answer.path("expiration").asText(""));
    } catch (DateTimeParseException e) {
      throw new CliException(
          CliException.UNAVAILABLE, "stint answered an expiration that is not a time");
    }
  }
}
