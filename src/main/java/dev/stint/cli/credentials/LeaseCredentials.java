package dev.stint.cli.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.cli.ApiClient;
import dev.stint.cli.CliEnvironment;
import dev.stint.cli.ServerOptions;
import dev.stint.cli.lease.LeaseToken;
import java.util.Map;

/**
 * {@code stint credentials --lease-file FILE} (or {@code STINT_LEASE_TOKEN}): credentials minted on
 * a lease, {@code POST /v1/credentials {lease}} with the lease token as the bearer. The person's
 * login is neither read nor sent: a lease is for whoever holds its token, with or without a login
 * of their own. Nothing is cached: an agent asks again when its credentials near their end, and the
 * person's cache (whose entries are found by profile, and served to the logged-in person) never
 * holds what a lease minted.
 */
final class LeaseCredentials {
  private LeaseCredentials() {}

  /** The answer as {@code credentials} prints it: credential_process JSON for AWS. */
  static String mint(CliEnvironment env, ServerOptions server, LeaseToken token) {
    ApiClient api = new ApiClient(server.serverUrl(env), token.bearer(), server.insecure());
    JsonNode answer = api.post("/v1/credentials", Map.of("lease", token.lease())).body();
    return "aws".equals(answer.path("cloud").asText())
        ? AwsCredentialSource.toProcessJson(token.lease(), answer) + "\n"
        : answer.toString() + "\n";
  }
}
