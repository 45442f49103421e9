package dev.stint.cli.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.cli.ApiClient;
import dev.stint.cli.CliException;
import dev.stint.cli.Table;
import dev.stint.common.Durations;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * "Who can approve": the people the server has seen lately whose vote would count on a pending
 * request, told on stderr so that scripts reading stdout see only the request.
 */
public final class ApproverHint {
  static final int NAMED = 5;

  private ApproverHint() {}

  /** The line to print for request {@code id}, or empty when the server cannot say. */
  public static Optional<String> line(ApiClient api, String id, Instant now) {
    Optional<ApiClient.Response> answer;
    try {
      answer = api.getIfPresent("/v1/requests/" + id + "/approvers?limit=" + NAMED);
    } catch (CliException e) {
      // A hint is never worth failing the request that was already filed.
      return Optional.empty();
    }
    return answer.map(r -> text(r.body(), now));
  }

  public static void tell(ApiClient api, PrintStream err, String id, Instant now) {
    line(api, id, now).ifPresent(err::println);
  }

  /** Emails and subjects come from identity providers: no control character reaches a terminal. */
  private static String clean(String s) {
    return Table.sanitize(s);
  }

  static String text(JsonNode body, Instant now) {
    JsonNode people = body.path("approvers");
    int total = body.path("total").asInt(people.size());
    String who = "who can approve" + inStage(body);
    if (total == 0) {
      return who
          + ": no one stint has seen in the last "
          + body.path("seen_within_days").asLong(30)
          + " days satisfies the approver rule;"
          + " ask an approver to sign in to stint once";
    }
    List<String> named = new ArrayList<>();
    for (JsonNode p : people) {
      String person = p.hasNonNull("email") ? p.path("email").asText() : p.path("subject").asText();
      named.add(clean(person) + " (seen " + ago(p.path("seen_at").asText(), now) + ")");
    }
    int more = total - named.size();
    return who + ": " + String.join(", ", named) + (more > 0 ? ", and " + more + " more" : "");
  }

  /** " in stage NAME" for an approval in stages; the one-stage form names none. */
  static String inStage(JsonNode request) {
    String stage = request.path("stage").asText("");
    return stage.isEmpty() || stage.equals("approval") ? "" : " in stage " + clean(stage);
  }

  private static String ago(String at, Instant now) {
    try {
      Duration d = Duration.between(Instant.parse(at), now);
      if (d.compareTo(Duration.ofMinutes(1)) < 0) {
        return "just now";
      }
      Duration rounded =
          d.compareTo(Duration.ofHours(1)) < 0
              ? Duration.ofMinutes(d.toMinutes())
              : d.compareTo(Duration.ofDays(1)) < 0
                  ? Duration.ofHours(d.toHours())
                  : Duration.ofDays(d.toDays());
      return Durations.format(rounded) + " ago";
    } catch (DateTimeParseException e) {
      return at;
    }
  }
}
