package dev.stint.facts;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Tickets from Jira's REST API: {@code GET /rest/api/3/issue/KEY?fields=status,assignee,project},
 * read into a {@link Ticket} (the key as Jira answers it, since a moved issue answers under its new
 * key; the assignee's email lower-cased, and absent when nobody is assigned or the assignee keeps
 * it private). Jira's 404, no such issue or none this token may see, is an empty answer.
 *
 * <p>A key that is not shaped like a Jira key ({@link #KEY}) is an empty answer too, without a
 * call: Jira would answer it with 404 as well, and the key is the requester's to type.
 *
 * <p>The credential's form chooses how it is sent: {@code email:api_token} (a Jira Cloud API token)
 * as HTTP Basic, anything else (a Data Center personal access token) as a bearer token.
 */
public final class JiraTickets implements TicketTracker {
  static final String NAME = "Jira";

  /** A project key, a hyphen, a number: {@code OPS-123}. */
  static final Pattern KEY = Pattern.compile("[A-Z][A-Z0-9_]+-[0-9]+");

  /** Longer keys are not Jira's (its project keys are short) and are not worth a cache entry. */
  static final int MAX_KEY_LENGTH = 64;

  private final OutsideApi api;
  private final LookupCache<Optional<Ticket>> cache;

  /**
   * {@code url}: the Jira site ({@code https://example.atlassian.net}, or http to this machine for
   * a stand-in); {@code token}: {@code email:api_token} or a personal access token.
   */
  public JiraTickets(WebClient web, URI url, String token, LookupSettings settings) {
    this.api =
        new OutsideApi(
            web,
            new OutsideApi.Endpoint(NAME, url, authorization(token), "application/json"),
            settings);
    this.cache = new LookupCache<>(NAME, settings);
  }

  /** Basic for {@code email:api_token}, Bearer otherwise. */
  static String authorization(String token) {
    int colon = token.indexOf(':');
    if (colon > 0 && token.substring(0, colon).contains("@")) {
      return "Basic " + Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8));
    }
    return "Bearer " + token;
  }

  @Override
  public Future<Optional<Ticket>> ticket(String key) {
    if (key == null || key.length() > MAX_KEY_LENGTH || !KEY.matcher(key).matches()) {
      return Future.succeededFuture(Optional.empty());
    }
    return cache.get(key, () -> api.within(lookUp(key)));
  }

  private Future<Optional<Ticket>> lookUp(String key) {
    return api.get(
            "/rest/api/3/issue/" + key, List.of(Map.entry("fields", "status,assignee,project")))
        .compose(
            answer -> {
              if (answer.status() == 404) {
                return Future.succeededFuture(Optional.empty());
              }
              if (answer.status() != 200) {
                return Future.failedFuture(api.refused(answer));
              }
              try {
                return Future.succeededFuture(Optional.of(ticket(answer.json())));
              } catch (IllegalArgumentException e) {
                return Future.failedFuture(api.malformed(answer.status(), e.getMessage()));
              }
            });
  }

  private static Ticket ticket(Object json) {
    JsonObject issue = JsonShapes.object(json, "body");
    JsonObject fields = JsonShapes.object(issue.getValue("fields"), "/fields");
    JsonObject status = JsonShapes.object(fields.getValue("status"), "/fields/status");
    JsonObject category =
        JsonShapes.object(status.getValue("statusCategory"), "/fields/status/statusCategory");
    JsonObject project = JsonShapes.object(fields.getValue("project"), "/fields/project");
    Object assignee = fields.getValue("assignee");
    Optional<String> email =
        assignee == null
            ? Optional.empty()
            : JsonShapes.optionalText(
                    JsonShapes.object(assignee, "/fields/assignee").getValue("emailAddress"),
                    "/fields/assignee/emailAddress")
                .map(e -> e.toLowerCase(Locale.ROOT));
    return new Ticket(
        JsonShapes.text(issue.getValue("key"), "/key"),
        JsonShapes.text(status.getValue("name"), "/fields/status/name"),
        JsonShapes.text(category.getValue("key"), "/fields/status/statusCategory/key"),
        email,
        JsonShapes.text(project.getValue("key"), "/fields/project/key"));
  }

  @Override
  public String toString() {
    return "JiraTickets[" + api + "]";
  }
}
