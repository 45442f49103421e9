package dev.stint.cli.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.cli.ApiClient;
import dev.stint.cli.CliEnvironment;
import dev.stint.cli.CliException;
import dev.stint.cli.ServerOptions;
import dev.stint.cli.agent.AgentToken;
import dev.stint.cli.lease.LeaseToken;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code stint credentials --agent-file FILE --lease LEASE}: credentials minted on a lease an
 * enrolled agent asked for, {@code POST /v1/credentials {lease}} with the agent's own token as the
 * bearer, printed as credential_process JSON. No person's login is read or sent; the AWS SDK that
 * runs it keeps the answer until it expires.
 */
final class AgentCredentials {
  private AgentCredentials() {}

  static String mint(CliEnvironment env, ServerOptions server, Path agentFile, String lease) {
    if (!LeaseToken.LEASE_ID.matcher(lease).matches()) {
      throw new CliException(CliException.USAGE, "--lease is a lease id (lse_…)");
    }
    AgentToken token = AgentToken.read(agentFile);
    ApiClient api = new ApiClient(server.serverUrl(env), token.bearer(), server.insecure());
    JsonNode answer = api.post("/v1/credentials", Map.of("lease", lease)).body();
    if (!"aws".equals(answer.path("cloud").asText())) {
      return answer.toString() + "\n";
    }
    return AwsCredentialSource.toProcessJson(lease, answer) + "\n";
  }
}
