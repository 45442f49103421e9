package dev.stint.cli.login;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stint.cli.ApiClient;
import dev.stint.cli.CliEnvironment;
import dev.stint.cli.CliException;
import dev.stint.cli.ServerOptions;
import dev.stint.cli.Table;
import dev.stint.cli.TokenSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code stint whoami}: who the server takes you for ({@code GET /v1/whoami}). A server without
 * that endpoint gets the token's own claims instead, marked as not verified by the server.
 */
@Command(
    name = "whoami",
    mixinStandardHelpOptions = true,
    description = "Show the identity stint sees for your token.")
public final class WhoamiCommand implements Callable<Integer> {
  static final List<String> FIELDS =
      List.of("issuer", "issuer_url", "subject", "email", "groups", "groups_from", "expires_at");
  private static final ObjectMapper JSON = new ObjectMapper();

  @Mixin ServerOptions server;

  private final CliEnvironment env;
  private final TokenSource tokens;

  public WhoamiCommand(CliEnvironment env, TokenSource tokens) {
    this.env = env;
    this.tokens = tokens;
  }

  @Override
  public Integer call() throws Exception {
    String token = tokens.token(server);
    ApiClient api = new ApiClient(server.serverUrl(env), token, server.insecure());
    ObjectNode who =
        api.getIfPresent("/v1/whoami")
            .map(r -> r.body().deepCopy())
            .map(body -> body instanceof ObjectNode o ? o.put("verified", true) : null)
            .orElseGet(() -> unverified(token));
    if (who == null) {
      throw new CliException(
          CliException.UNAVAILABLE, "stint answered /v1/whoami with no JSON object");
    }
    if (!who.path("verified").asBoolean()) {
      env.err()
          .println(
              "stint at "
                  + api.server()
                  + " has no /v1/whoami: showing the token's own"
                  + " claims, NOT verified by the server");
    }
    if (server.output() == ServerOptions.OutputFormat.JSON) {
      env.out().println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(who));
    } else {
      table(who).print(env.out());
    }
    return 0;
  }

  /** The token's claims in the server's shape, decoded locally: nothing here is checked. */
  static ObjectNode unverified(String token) {
    IdToken id;
    try {
      id = IdToken.decode(token);
    } catch (CliException e) {
      throw new CliException(
          CliException.FAILED,
          "stint has no /v1/whoami and the token is not" + " a JWT that could be shown instead");
    }
    ObjectNode node = JSON.createObjectNode();
    node.putNull("issuer");
    node.put("issuer_url", id.string("iss"));
    node.put("subject", id.subject());
    node.put("email", id.string("email").isEmpty() ? null : id.string("email"));
    node.set("groups", JSON.valueToTree(id.claims().getOrDefault("groups", List.of())));
    node.put("groups_from", "token");
    node.put("expires_at", id.expiresAt().toString());
    node.put("verified", false);
    return node;
  }

  private static Table table(JsonNode who) {
    Table table = new Table("FIELD", "VALUE");
    for (String field : FIELDS) {
      table.row(field, text(who.path(field)));
    }
    table.row(
        "verified",
        who.path("verified").asBoolean()
            ? "yes (by the server)"
            : "NO: decoded locally, not verified by the server");
    return table;
  }

  private static String text(JsonNode value) {
    if (value.isMissingNode() || value.isNull()) {
      return null;
    }
    if (value.isArray()) {
      List<String> items = new ArrayList<>();
      value.forEach(v -> items.add(v.asText()));
      return String.join(", ", items);
    }
    if (value.isNumber()) {
      // A server could send epoch seconds; show it the same way as an ISO string.
      return Instant.ofEpochSecond(value.asLong()).toString();
    }
    return value.asText();
  }
}
