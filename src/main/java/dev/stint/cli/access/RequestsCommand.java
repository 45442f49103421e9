package dev.stint.cli.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.cli.ApiClient;
import dev.stint.cli.ApiClients;
import dev.stint.cli.ServerOptions;
import dev.stint.cli.credentials.CachedGrants;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code stint requests}: the requests the caller may see (their own, and those they approve). */
@Command(name = "requests", description = "List access requests you made or may decide.")
public final class RequestsCommand implements Callable<Integer> {
  private static final Set<String> ENDED = Set.of("revoked", "expired");
  private final ApiClients clients;

  @Mixin ServerOptions server;

  @Option(names = "--pending", description = "Only requests waiting for a decision.")
  boolean pending;

  @Option(names = "--mine", description = "Only your own requests.")
  boolean mine;

  @Option(names = "--needs-review", description = "Only break-glass grants awaiting review.")
  boolean needsReview;

  @Option(
      names = "--profile",
      paramLabel = "PROFILE",
      description = "Only requests for this profile.")
  String profile;

  public RequestsCommand(ApiClients clients) {
    this.clients = clients;
  }

  @Override
  public Integer call() {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("state", pending ? "pending" : null);
    query.put("mine", mine ? "true" : null);
    query.put("needs_review", needsReview ? "true" : null);
    query.put("profile", profile);
    ApiClient api = clients.open(server);
    var body = api.get("/v1/requests", query).body();
    RequestPrinter.print(
        clients.env().out(),
        server.output(),
        body.path("requests"),
        clients.env().clock().instant());
    forgetEnded(api, body.path("requests"));
    return 0;
  }

  /**
   * Grants the server now reports revoked or expired are not served from this machine's cache
   * again, whoever ended them: the cache never asks the server while an entry is valid.
   */
  private void forgetEnded(ApiClient api, JsonNode requests) {
    CachedGrants cache = new CachedGrants(clients.env());
    for (JsonNode r : requests) {
      String grant = r.path("grant").path("id").asText("");
      if (!grant.isEmpty()
          && ENDED.contains(r.path("state").asText())
          && cache.forgetGrant(api.server().toString(), grant) > 0) {
        clients.env().err().println("deleted the cached credentials of ended grant " + grant);
      }
    }
  }
}
