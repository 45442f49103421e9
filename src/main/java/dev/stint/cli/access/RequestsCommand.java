package dev.stint.cli.access;

import dev.stint.cli.ApiClients;
import dev.stint.cli.ServerOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code stint requests}: the requests the caller may see (their own, and those they approve). */
@Command(name = "requests", description = "List access requests you made or may decide.")
public final class RequestsCommand implements Callable<Integer> {
  private final ApiClients clients;

  @Mixin ServerOptions server;

  @Option(names = "--pending", description = "Only requests waiting for a decision.")
  boolean pending;

  @Option(names = "--mine", description = "Only your own requests.")
  boolean mine;

  @Option(names = "--needs-review", description = "Only break-glass grants awaiting review.")
  boolean needsReview;

  @Option(names = "--profile", paramLabel = "PROFILE", description = "Only requests for this profile.")
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
    var body = clients.open(server).get("/v1/requests", query).body();
    RequestPrinter.print(clients.env().out(), server.output(), body.path("requests"),
        clients.env().clock().instant());
    return 0;
  }
}
