package dev.stint.cli.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWKSet;
import dev.stint.checkpoint.CheckpointLocation;
import dev.stint.checkpoint.ExportCheck;
import dev.stint.cli.ApiClient;
import dev.stint.cli.CliEnvironment;
import dev.stint.cli.CliException;
import dev.stint.cli.ServerOptions;
import dev.stint.cli.TokenSource;
import java.io.IOException;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code stint audit verify}: asks the server to walk the hash chain, against the signed
 * checkpoints at {@code --checkpoints LOCATION} when given (their signatures are checked here
 * first, against the server's published checkpoint keys). Exit 0 when intact; exit 1 naming the
 * first broken seq and the layer that caught it otherwise.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description =
        "Verify the audit log's hash chain, and its signed checkpoints; exit 1 and name"
            + " the first broken seq.")
public final class AuditVerifyCommand implements Callable<Integer> {
  /** Where the server publishes the checkpoint keys (http.CheckpointKeyRoutes). */
  static final String CHECKPOINT_KEYS = "/.well-known/stint-checkpoint-keys.json";

  private final CliEnvironment env;
  private final TokenSource tokens;

  @Mixin ServerOptions server;

  @Option(
      names = "--checkpoints",
      paramLabel = "LOCATION",
      description = "A directory or s3://BUCKET/PREFIX holding the checkpoints stint wrote.")
  String checkpoints;

  @Option(
      names = "--s3-endpoint",
      paramLabel = "URL",
      description = "An S3-compatible endpoint for an s3:// location (default: AWS).")
  String s3Endpoint;

  @Option(
      names = "--export",
      paramLabel = "FILE.jsonl",
      description =
          "Check a retention export instead: the file against its manifest and signed"
              + " checkpoint beside it, under the server's published keys.")
  Path export;

  @Option(
      names = "--incremental",
      description = "Walk only the events after the newest checkpoint.")
  boolean incremental;

  AuditVerifyCommand(CliEnvironment env, TokenSource tokens) {
    this.env = env;
    this.tokens = tokens;
  }

  @Override
  public Integer call() {
    ApiClient api = new ApiClient(server.serverUrl(env), tokens.token(server), server.insecure());
    if (export != null) {
      return checkExport(api);
    }
    JsonNode result =
        checkpoints == null
            ? api.get("/v1/audit/verify", incremental ? Map.of("incremental", "true") : Map.of())
                .body()
            : api.post(
                    "/v1/audit/verify",
                    Map.of("checkpoints", localCheck(api), "incremental", incremental))
                .body();
    boolean ok = result.path("ok").asBoolean(false);
    if (server.output() == ServerOptions.OutputFormat.JSON) {
      env.out().println(result.toString());
    } else if (ok) {
      env.out()
          .println(
              "audit chain intact: "
                  + result.path("count").asLong()
                  + " events"
                  + (result.path("incremental").asBoolean() ? " after the newest checkpoint" : "")
                  + ", head seq "
                  + result.path("head_seq").asLong()
                  + " ("
                  + result.path("head_hash").asText("")
                  + ")"
                  + checkpointLine(result)
                  + startsAfterLine(result));
    }
    if (!ok) {
      throw new CliException(
          CliException.FAILED,
          "audit chain broken at seq "
              + result.path("broken_seq").asText("?")
              + ": "
              + result.path("problem").asText("").replaceAll("\\p{Cntrl}", " ")
              + " ("
              + result.path("count").asLong()
              + " events before it verify; caught by the "
              + result.path("layer").asText("chain").replaceAll("[^a-z]", "")
              + " layer)");
    }
    return 0;
  }

  /** A retention export, checked here against the server's published checkpoint keys. */
  private Integer checkExport(ApiClient api) {
    try {
      JWKSet keys = JWKSet.parse(checkpointKeys(api));
      ExportCheck.Verified v = ExportCheck.check(export, keys);
      env.out()
          .println(
              "export intact: "
                  + v.count()
                  + " events, seq "
                  + v.firstSeq()
                  + "-"
                  + v.lastSeq()
                  + ", last hash "
                  + v.lastHash()
                  + " vouched for by its signed checkpoint");
      return 0;
    } catch (ExportCheck.Broken e) {
      throw new CliException(
          CliException.FAILED, "export broken: " + e.getMessage().replaceAll("\\p{Cntrl}", " "));
    } catch (IOException | ParseException e) {
      throw new CliException(CliException.FAILED, "export cannot be read: " + e.getMessage());
    }
  }

  /** Reads the location and checks every signature against the checkpoint keys, here. */
  private List<String> localCheck(ApiClient api) {
    String jwks = checkpointKeys(api);
    try {
      return CheckpointLocation.newest(
          CheckpointLocation.read(checkpoints, Optional.ofNullable(s3Endpoint)),
          jwks,
          CheckpointLocation.MAX_SENT);
    } catch (CheckpointLocation.Unusable e) {
      throw new CliException(CliException.FAILED, e.getMessage());
    }
  }

  /**
   * The keys checkpoints are signed with: their own, published apart from the federation JWKS (a
   * checkpoint signed with a key clouds trust for federation is refused).
   */
  private static String checkpointKeys(ApiClient api) {
    return api.get(CHECKPOINT_KEYS, Map.of()).body().toString();
  }

  private static String startsAfterLine(JsonNode result) {
    JsonNode after = result.path("starts_after");
    return after.isMissingNode()
        ? ""
        : "; starts after seq "
            + after.path("seq").asLong()
            + ", exported by retention and vouched for by its signed checkpoint";
  }

  private static String checkpointLine(JsonNode result) {
    int n = result.path("checkpoints").asInt(0);
    return n == 0
        ? "; no signed checkpoints checked"
        : "; "
            + n
            + " signed checkpoint(s) match, newest at seq "
            + result.path("checkpoint_seq").asLong();
  }
}
