package dev.stint.cli.login;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.cli.ApiClient;
import dev.stint.cli.CliEnvironment;
import dev.stint.cli.CliException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Which identity provider and client to log in with. Flags win, then {@code STINT_OIDC_ISSUER} /
 * {@code STINT_OIDC_CLIENT_ID}, then what the stint server advertises at {@code GET /v1/login}.
 */
record LoginSettings(URI issuer, String clientId, List<String> scopes) {
  static final List<String> DEFAULT_SCOPES =
      List.of("openid", "profile", "email", "offline_access");

  LoginSettings {
    // Without "openid" there is no ID token, and the ID token is what stint verifies.
    LinkedHashSet<String> all = new LinkedHashSet<>();
    all.add("openid");
    all.addAll(scopes.isEmpty() ? DEFAULT_SCOPES : scopes);
    scopes = List.copyOf(all);
  }

  String scope() {
    return String.join(" ", scopes);
  }

  /** The explicit choices of one {@code stint login} run; any may be absent. */
  record Requested(Optional<String> issuer, Optional<String> clientId, List<String> scopes) {}

  static LoginSettings resolve(Requested flags, CliEnvironment env, Supplier<ApiClient> server) {
    Optional<String> issuer = flags.issuer().or(() -> env.get("STINT_OIDC_ISSUER"));
    Optional<String> clientId = flags.clientId().or(() -> env.get("STINT_OIDC_CLIENT_ID"));
    if (issuer.isPresent() && clientId.isPresent()) {
      return new LoginSettings(parse(issuer.get()), clientId.get(), flags.scopes());
    }
    ApiClient api = server.get();
    Optional<ApiClient.Response> answer;
    try {
      answer = api.getIfPresent("/v1/login");
    } catch (CliException e) {
      throw new CliException(
          e.exitCode(),
          e.getMessage()
              + " (stint asks the server which"
              + " identity provider to use; pass --issuer URL and --client-id ID to skip that)");
    }
    JsonNode advertised =
        answer
            .map(ApiClient.Response::body)
            .orElseThrow(
                () ->
                    new CliException(
                        CliException.USAGE,
                        "stint at "
                            + api.server()
                            + " does not advertise a login provider: pass --issuer URL and --client-id ID"
                            + " (or set STINT_OIDC_ISSUER and STINT_OIDC_CLIENT_ID)"));
    String serverIssuer = advertised.path("issuer").asText("");
    String serverClient = advertised.path("client_id").asText("");
    if (serverIssuer.isEmpty() || serverClient.isEmpty()) {
      throw new CliException(
          CliException.UNAVAILABLE,
          "stint at " + api.server() + " answered /v1/login without issuer and client_id");
    }
    List<String> scopes = flags.scopes();
    if (scopes.isEmpty()) {
      scopes = new ArrayList<>();
      for (JsonNode s : advertised.path("scopes")) {
        scopes.add(s.asText());
      }
    }
    return new LoginSettings(
        parse(issuer.orElse(serverIssuer)), clientId.orElse(serverClient), scopes);
  }

  private static URI parse(String issuer) {
    try {
      return Provider.requireSecure(URI.create(issuer.strip()), "issuer");
    } catch (IllegalArgumentException e) {
      throw new CliException(CliException.USAGE, "issuer '" + issuer + "' is not a valid URL");
    }
  }
}
