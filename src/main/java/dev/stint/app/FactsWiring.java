package dev.stint.app;

import dev.stint.config.StintConfig;
import dev.stint.facts.FactGatherer;
import dev.stint.facts.FactProvider;
import dev.stint.facts.FactSource;
import dev.stint.facts.HttpFacts;
import dev.stint.facts.JiraTickets;
import dev.stint.facts.LookupSettings;
import dev.stint.facts.OnCallDirectory;
import dev.stint.facts.PagerDutyOnCalls;
import dev.stint.facts.TicketTracker;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The fact providers the server is configured with (PagerDuty, Jira, its own over HTTP), on one web
 * client of their own, and the {@link FactSource} the requests use cases look facts up through.
 */
final class FactsWiring implements AutoCloseable {
  private final WebClient web;
  private final FactGatherer gatherer;

  FactsWiring(Vertx vertx, StintConfig.FactsConfig config, Clock clock) {
    this.web = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false));
    LookupSettings settings = LookupSettings.rechecked(config.timeout(), config.recheck(), clock);
    Optional<OnCallDirectory> onCall =
        config.pagerDuty().map(s -> new PagerDutyOnCalls(web, s.url(), s.token(), settings));
    Optional<TicketTracker> tickets =
        config.jira().map(s -> new JiraTickets(web, s.url(), s.token(), settings));
    Map<String, FactProvider> own = new TreeMap<>();
    config
        .http()
        .forEach(
            (name, s) -> own.put(name, new HttpFacts(web, name, s.url(), s.token(), settings)));
    this.gatherer = new FactGatherer(onCall, tickets, own);
  }

  /** Facts about a person (by the email their token carries) and a request. */
  FactSource source() {
    return gatherer;
  }

  @Override
  public void close() {
    web.close();
  }
}
