package dev.stint.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code stint audit verify}: asks the server to walk the hash chain. Exit 0 when intact; exit 1
 * naming the first broken seq otherwise.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = "Verify the audit log's hash chain; exit 1 and name the first broken seq.")
public final class AuditVerifyCommand implements Callable<Integer> {
  private final CliEnvironment env;
  private final TokenSource tokens;

  @Mixin
  ServerOptions server;

  AuditVerifyCommand(CliEnvironment env, TokenSource tokens) {
    this.env = env;
    this.tokens = tokens;
  }

  @Override
  public Integer call() {
    ApiClient api = new ApiClient(server.serverUrl(env), tokens.token(server), server.insecure());
    JsonNode result = api.get("/v1/audit/verify", Map.of()).body();
    boolean ok = result.path("ok").asBoolean(false);
    if (server.output() == ServerOptions.OutputFormat.JSON) {
      env.out().println(result.toString());
    } else if (ok) {
      env.out().println("audit chain intact: " + result.path("count").asLong() + " events, head seq "
          + result.path("head_seq").asLong() + " (" + result.path("head_hash").asText("") + ")");
    }
    if (!ok) {
      throw new CliException(CliException.FAILED, "audit chain broken at seq "
          + result.path("broken_seq").asText("?") + ": "
          + result.path("problem").asText("").replaceAll("\\p{Cntrl}", " ")
          + " (" + result.path("count").asLong() + " events before it verify)");
    }
    return 0;
  }
}
