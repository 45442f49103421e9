package dev.stint.standin;

import dev.stint.standin.RestServer.Reply;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DEVELOPMENT AND TEST ONLY: Jira's REST API as far as ticket lookups use it, from its public
 * reference. {@code GET /rest/api/3/issue/KEY}: the credential it was made with or 401 (Jira
 * Cloud's plain-text refusal); {@code email:api_token} is accepted only as HTTP Basic, anything
 * else only as a bearer token (a Data Center personal access token). The issue with the {@code
 * fields} asked for (status with its category, assignee, project), the key matched without regard
 * to case as Jira does; an unknown issue is 404 with Jira's error collection. A throttled call is
 * 429 with {@code Retry-After}, the seconds to wait. Thread-safe.
 */
public final class JiraStandIn implements AutoCloseable {
  private static final Pattern ISSUE = Pattern.compile("/rest/api/3/issue/([^/]+)");
  private static final Set<String> FIELDS = Set.of("status", "assignee", "project");

  private final String authorization;
  private final JiraIssues issues = new JiraIssues();
  private final AtomicBoolean privateEmails = new AtomicBoolean();
  private final RestServer server;

  /**
   * A Jira whose one credential is {@code token}: {@code email:api_token} (Cloud, Basic) or a
   * personal access token (Data Center, Bearer).
   */
  public JiraStandIn(String token) {
    this.authorization =
        token.indexOf(':') > 0 && token.substring(0, token.indexOf(':')).contains("@")
            ? "Basic " + Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8))
            : "Bearer " + token;
    this.server = new RestServer(this::answer, JiraStandIn::throttled);
  }

  public URI uri() {
    return server.uri();
  }

  /** Calls received, refused ones included. */
  public int calls() {
    return server.calls();
  }

  /** The next {@code calls} calls are answered 429, each saying to wait {@code retryAfter}. */
  public void throttle(int calls, Duration retryAfter) {
    server.throttle(calls, retryAfter);
  }

  /** Every answer from now on comes {@code by} late. */
  public void delay(Duration by) {
    server.delay(by);
  }

  /**
   * Every call from now on is answered {@code status} with {@code body} as JSON, whatever it is.
   */
  public void answerInstead(int status, String body) {
    server.answerInstead(Reply.json(status, body));
  }

  /** The issues this Jira holds, as tests and the demo set them. */
  public JiraIssues issues() {
    return issues;
  }

  /**
   * Opens the demo's controls at {@link #controls()}, answered by {@code page}: a path Jira's API
   * does not have, answered without its credential, the API unchanged.
   */
  public void openControls(Function<QueryRequest, StandInReply> page) {
    server.openControls(page);
  }

  /** Where {@link #openControls} serves its page. */
  public URI controls() {
    return URI.create(uri() + RestServer.CONTROLS);
  }

  /** Whether assignees keep their email private, as a Cloud profile's visibility may: no email. */
  public void privateEmails(boolean hidden) {
    privateEmails.set(hidden);
  }

  private Reply answer(HttpServerRequest request) {
    if (!authorization.equals(request.getHeader("Authorization"))) {
      return new Reply(
          401,
          Map.of(
              "Content-Type", "text/plain;charset=UTF-8",
              "X-Seraph-LoginReason", "AUTHENTICATED_FAILED"),
          "Client must be authenticated to access this resource.");
    }
    Matcher m = ISSUE.matcher(request.path());
    JiraIssues.Issue issue =
        request.method() == HttpMethod.GET && m.matches() ? issues.get(m.group(1)) : null;
    if (issue == null) {
      return notFound();
    }
    String asked = request.getParam("fields");
    Set<String> fields = asked == null ? FIELDS : Set.of(asked.split(","));
    return Reply.json(200, issue(issue, fields).encode());
  }

  private JsonObject issue(JiraIssues.Issue issue, Set<String> asked) {
    String id = Integer.toString(10_000 + Math.abs(issue.key().hashCode() % 90_000));
    JsonObject fields = new JsonObject();
    if (asked.contains("status")) {
      List<Object> c = JiraIssues.CATEGORIES.get(issue.category());
      fields.put(
          "status",
          new JsonObject()
              .put("self", uri() + "/rest/api/3/status/1")
              .put("description", "")
              .put("name", issue.status())
              .put("id", "1")
              .put(
                  "statusCategory",
                  new JsonObject()
                      .put("self", uri() + "/rest/api/3/statuscategory/" + c.get(0))
                      .put("id", c.get(0))
                      .put("key", issue.category())
                      .put("colorName", c.get(2))
                      .put("name", c.get(1))));
    }
    if (asked.contains("assignee")) {
      fields.put("assignee", assignee(issue.assigneeEmail()));
    }
    if (asked.contains("project")) {
      fields.put(
          "project",
          new JsonObject()
              .put("self", uri() + "/rest/api/3/project/10000")
              .put("id", "10000")
              .put("key", issue.project())
              .put("name", issue.project())
              .put("projectTypeKey", "software"));
    }
    return new JsonObject()
        .put("expand", "renderedFields,names,schema,operations,editmeta,changelog")
        .put("id", id)
        .put("self", uri() + "/rest/api/3/issue/" + id)
        .put("key", issue.key())
        .put("fields", fields);
  }

  private JsonObject assignee(String email) {
    if (email == null) {
      return null;
    }
    JsonObject user =
        new JsonObject()
            .put("self", uri() + "/rest/api/3/user?accountId=5b10ac8d82e05b22cc7d4ef5")
            .put("accountId", "5b10ac8d82e05b22cc7d4ef5")
            .put("displayName", email.substring(0, Math.max(0, email.indexOf('@'))))
            .put("active", true)
            .put("timeZone", "Etc/UTC")
            .put("accountType", "atlassian");
    if (!privateEmails.get()) {
      user.put("emailAddress", email);
    }
    return user;
  }

  private static Reply notFound() {
    return Reply.json(
        404,
        new JsonObject()
            .put(
                "errorMessages",
                new JsonArray()
                    .add("Issue does not exist or you do not have permission to see it."))
            .put("errors", new JsonObject())
            .encode());
  }

  private static Reply throttled(Duration retryAfter) {
    long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    return new Reply(
        429,
        Map.of("Content-Type", "application/json", "Retry-After", Long.toString(seconds)),
        new JsonObject()
            .put("errorMessages", new JsonArray().add("Rate limit exceeded."))
            .put("errors", new JsonObject())
            .encode());
  }

  @Override
  public void close() {
    server.close();
  }
}
