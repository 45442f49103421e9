package dev.stint.cli.lease;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stint.cli.ApiClient;
import dev.stint.cli.ApiClients;
import dev.stint.cli.CliException;
import dev.stint.cli.ParameterOptions;
import dev.stint.cli.ServerOptions;
import dev.stint.cli.ShellWords;
import dev.stint.cli.Table;
import dev.stint.cli.access.ShowCommand;
import dev.stint.cli.setup.SetupAwsCommand;
import dev.stint.common.Durations;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stint lease create REQUEST --task … --duration …}: a lease of the caller's active grant
 * for one task ({@code POST /v1/requests/{id}/leases}). The token the server answers once is
 * written to a private file and never printed; what is printed is the lease and how to mint with
 * that file. Everything that could stop the command is checked before the lease is asked for.
 */
@Command(
    name = "create",
    description = {
      "Lease your active grant of REQUEST to an agent or a script for one task: its credentials"
          + " last at most --duration and carry the grant's policy, or a narrower --policy.",
      "The lease token is written to a private file (0600) under stint's config directory and"
          + " never printed; mint with 'stint credentials --lease-file FILE'. With --agent-issuer"
          + " and --agent-subject no token exists: that agent mints with its own OIDC token."
    })
public final class LeaseCreateCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A policy file is a few statements; far beyond what AWS takes in a session policy. */
  private static final long MAX_POLICY_BYTES = 64 * 1024;

  @Mixin ServerOptions server = new ServerOptions();

  @Mixin ParameterOptions parameters = new ParameterOptions();

  @Parameters(
      index = "0",
      paramLabel = "REQUEST",
      description = "The request id (req_…) of your active grant.")
  String id;

  @Option(
      names = "--task",
      required = true,
      paramLabel = "TEXT",
      description = "What the lease is for (kept in the audit).")
  String task;

  @Option(
      names = "--duration",
      required = true,
      paramLabel = "DURATION",
      description = "How long the lease lasts (30m, 1h, …); never past the grant's end.")
  String duration;

  @Option(
      names = "--policy",
      paramLabel = "FILE",
      description =
          "A JSON file: IAM statements (an array) or a policy document, which must allow"
              + " nothing the grant's policy does not (AWS profiles); the server checks it.")
  Path policy;

  @Option(
      names = "--aws-profile",
      paramLabel = "NAME",
      description =
          "Also write [profile NAME] into ~/.aws/config ($AWS_CONFIG_FILE), minting on the"
              + " lease's token file, in a block stint's lease commands own.")
  String awsProfile;

  @Option(
      names = "--region",
      paramLabel = "R",
      description =
          "With --aws-profile: write region = R in it (default: the region the lease's profile"
              + " names in the policy, as 'stint setup aws' writes it).")
  String region;

  @Option(
      names = "--agent-issuer",
      paramLabel = "URL",
      description = "The OIDC issuer of the agent the lease is for (with --agent-subject).")
  String agentIssuer;

  @Option(
      names = "--agent-subject",
      paramLabel = "SUB",
      description = "The agent's subject at --agent-issuer; then no lease token is issued.")
  String agentSubject;

  private final ApiClients clients;

  public LeaseCreateCommand(ApiClients clients) {
    this.clients = clients;
  }

  @Override
  public Integer call() {
    // 1. Everything the command could refuse, before anything is sent or written.
    Map<String, Object> body = body();
    Optional<LeaseAwsProfile> profile =
        Optional.ofNullable(awsProfile).map(name -> LeaseAwsProfile.prepare(clients.env(), name));
    // 2. The profiles' regions, asked before the lease for the same reason; then the lease. Its
    // token leaves the answer here and goes only to its file.
    ApiClient api = clients.open(server);
    JsonNode regions =
        profile.isPresent() && region == null
            ? api.get("/v1/profiles", Map.of()).body().path("profiles")
            : MissingNode.getInstance();
    JsonNode answer = api.post("/v1/requests/" + id + "/leases", body).body();
    String leaseId = answer.path("id").asText("");
    if (!(answer instanceof ObjectNode lease) || !LeaseToken.LEASE_ID.matcher(leaseId).matches()) {
      throw new CliException(CliException.UNAVAILABLE, "stint answered no lease id");
    }
    Optional<Path> tokenFile = tokenFile(lease.remove("lease_token"), leaseId);
    // 3. The profile that mints on the token file, then what was made and the next step.
    Optional<String> awsRegion = regionOf(regions, lease.path("profile").asText(""));
    Optional<Path> config =
        profile.map(
            p ->
                written(p, tokenFile.orElseThrow(() -> noToken(leaseId)), leaseId, api, awsRegion));
    PrintStream out = clients.env().out();
    if (server.output() == ServerOptions.OutputFormat.JSON) {
      tokenFile.ifPresent(file -> lease.put("token_file", file.toString()));
      config.ifPresent(
          file -> lease.put("aws_profile", awsProfile).put("aws_config", file.toString()));
      config.flatMap(file -> awsRegion).ifPresent(r -> lease.put("aws_region", r));
      LeasePrinter.json(out, lease);
    } else {
      summary(out, lease, tokenFile);
      nextStep(out, leaseId, tokenFile, config.map(file -> new Written(file, awsRegion)));
    }
    return 0;
  }

  /** The request's body, from flags checked here (their shape; the rest is the server's). */
  private Map<String, Object> body() {
    if (!ShowCommand.REQUEST_ID.matcher(id).matches()) {
      throw new CliException(
          CliException.USAGE, "'" + Table.sanitize(id) + "' is not a request id (req_…)");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("task", task);
    try {
      body.put("duration_seconds", Durations.parse(duration).toSeconds());
    } catch (IllegalArgumentException e) {
      throw new CliException(CliException.USAGE, "--duration: " + e.getMessage());
    }
    Map<String, String> values = parameters.values();
    if (!values.isEmpty()) {
      body.put("parameters", values);
    }
    if (policy != null) {
      body.put("session_policy", policy(policy));
    }
    if ((agentIssuer == null) != (agentSubject == null)) {
      throw new CliException(
          CliException.USAGE, "--agent-issuer and --agent-subject go together: give both");
    }
    if (region != null && (awsProfile == null || !SetupAwsCommand.isConfigWord(region))) {
      throw new CliException(
          CliException.USAGE,
          "--region goes with --aws-profile, and holds only letters, digits, '.', '_' and '-'");
    }
    if (agentIssuer != null) {
      if (awsProfile != null) {
        throw new CliException(
            CliException.USAGE,
            "--aws-profile needs a lease token, and a lease for an agent has none: the agent"
                + " mints with its own OIDC token");
      }
      body.put("agent", Map.of("issuer", agentIssuer, "subject", agentSubject));
    }
    return body;
  }

  /** The file's JSON: an array of statements or a document object, sent as it is. */
  private static JsonNode policy(Path file) {
    try {
      if (Files.size(file) > MAX_POLICY_BYTES) {
        throw new CliException(CliException.USAGE, "--policy " + file + " is larger than 64 KiB");
      }
      JsonNode json = JSON.readTree(Files.readString(file));
      if (json == null || !json.isArray() && !json.isObject()) {
        throw new CliException(
            CliException.USAGE,
            "--policy " + file + " must hold a JSON array of statements or a policy document");
      }
      return json;
    } catch (NoSuchFileException e) {
      throw new CliException(CliException.USAGE, "--policy " + file + " does not exist");
    } catch (IOException e) {
      throw new CliException(
          CliException.USAGE, "--policy " + file + " is not JSON: " + firstLine(e.getMessage()));
    }
  }

  /** Writes the answered token to its private file; empty when the lease has none (an agent's). */
  private Optional<Path> tokenFile(JsonNode answered, String leaseId) {
    if (answered == null || answered.isNull()) {
      if (agentIssuer == null) {
        throw noToken(leaseId);
      }
      return Optional.empty();
    }
    LeaseToken token = LeaseToken.parse(answered.asText(""), "stint's answer");
    if (!token.lease().equals(leaseId)) {
      throw new CliException(
          CliException.UNAVAILABLE,
          "stint answered a lease token for another lease than "
              + leaseId
              + "; revoke it with 'stint lease revoke "
              + leaseId
              + "'");
    }
    Path file = LeaseToken.fileOf(clients.env(), leaseId);
    token.writeTo(file);
    return Optional.of(file);
  }

  private static CliException noToken(String leaseId) {
    return new CliException(
        CliException.UNAVAILABLE,
        "stint answered lease "
            + leaseId
            + " without its token; revoke it with 'stint lease revoke "
            + leaseId
            + "' and create another");
  }

  /**
   * The region the lease's AWS profile carries: {@code --region}, else its stint profile's own
   * among {@code profiles} ({@code GET /v1/profiles}), as {@code stint setup aws} decides it.
   */
  private Optional<String> regionOf(JsonNode profiles, String name) {
    for (JsonNode listed : profiles) {
      if (listed.path("name").asText("").equals(name)) {
        return SetupAwsCommand.region(Optional.ofNullable(region), listed);
      }
    }
    return Optional.ofNullable(region);
  }

  private static Path written(
      LeaseAwsProfile profile,
      Path tokenFile,
      String leaseId,
      ApiClient api,
      Optional<String> region) {
    try {
      return profile.write(tokenFile, api.server(), region);
    } catch (CliException e) {
      throw new CliException(
          e.exitCode(),
          e.getMessage()
              + System.lineSeparator()
              + "  lease "
              + leaseId
              + " was created: mint with 'stint credentials --lease-file "
              + ShellWords.quote(tokenFile.toString())
              + "'");
    }
  }

  private static void summary(PrintStream out, JsonNode lease, Optional<Path> tokenFile) {
    out.println(
        "lease "
            + lease.path("id").asText()
            + " of "
            + lease.path("request_id").asText()
            + " ("
            + Table.sanitize(lease.path("profile").asText())
            + ") is "
            + lease.path("state").asText()
            + " until "
            + lease.path("expires_at").asText());
    out.println("task:       " + Table.sanitize(lease.path("task").asText()));
    out.println("policy:     " + LeasePrinter.policy(lease));
    LeasePrinter.parameters(lease)
        .ifPresent(values -> out.println("parameters: " + Table.sanitize(values)));
    if (lease.path("agent").isObject()) {
      out.println("agent:      " + LeasePrinter.agent(lease));
    }
    tokenFile.ifPresent(
        file ->
            out.println(
                "token:      written to "
                    + file
                    + " (0600); it is shown nowhere else and stint cannot show it again"));
  }

  /** The AWS config written, and the region its profile names. */
  private record Written(Path config, Optional<String> region) {}

  private void nextStep(
      PrintStream out, String leaseId, Optional<Path> tokenFile, Optional<Written> config) {
    out.println();
    if (tokenFile.isEmpty()) {
      out.println(
          "Next: the agent mints with its own OIDC token: POST /v1/credentials"
              + " {\"lease\": \""
              + leaseId
              + "\"}. No lease token exists for this lease.");
    } else if (config.isPresent()) {
      out.println("Wrote [profile " + awsProfile + "] to " + config.get().config() + ".");
      if (config.get().region().isEmpty()) {
        out.println(
            "It names no region (the policy gives this profile none): AWS tools then need"
                + " AWS_REGION, or run again with --region R.");
      }
      out.println("Next: AWS_PROFILE=" + awsProfile + " aws sts get-caller-identity");
    } else {
      String file = ShellWords.quote(tokenFile.get().toString());
      out.println("Next: stint credentials --lease-file " + file);
      out.println("  or: export " + LeaseToken.ENV + "=\"$(cat " + file + ")\"; stint credentials");
    }
    out.println("Revoke it: stint lease revoke " + leaseId);
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }
}
