package dev.stint.cli.review;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.cli.ApiClient;
import dev.stint.cli.ApiClients;
import dev.stint.cli.CliException;
import dev.stint.cli.ServerOptions;
import dev.stint.cli.ServerOptions.OutputFormat;
import dev.stint.cli.Table;
import dev.stint.cli.review.ReviewDecisions.Asked;
import dev.stint.cli.review.ReviewDecisions.Decision;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stint access-review decide REVIEW --keep PERSON --remove PERSON [--follow-suggestions]}: a
 * reviewer's decisions, in three steps: read the review once ({@code GET}); resolve every PERSON
 * among its items and add the suggested decisions ({@link ReviewDecisions}, which refuses before
 * anything is sent); send them all in one {@code POST}, which the server takes whole or not at all.
 */
@Command(
    name = "decide",
    description =
        "Keep or remove people in a review: PERSON is an email, a subject or ISSUER#SUBJECT."
            + " A removal suspends their eligibility and revokes their live grants of the profile.")
final class DecideReviewCommand implements Callable<Integer> {
  @Mixin ServerOptions server = new ServerOptions();

  @Parameters(index = "0", paramLabel = "REVIEW", description = "The review id (rvw_…).")
  String id;

  @Option(names = "--keep", paramLabel = "PERSON", description = "Keep this person (repeatable).")
  List<String> keep = new ArrayList<>();

  @Option(
      names = "--remove",
      paramLabel = "PERSON",
      description = "Remove this person (repeatable).")
  List<String> remove = new ArrayList<>();

  @Option(
      names = "--follow-suggestions",
      description =
          "Decide everyone still undecided as their suggestion says; --keep and --remove win.")
  boolean followSuggestions;

  @Option(
      names = "--comment",
      paramLabel = "TEXT",
      description = "Why (sent with each decision, kept in the audit).")
  String comment;

  private final ApiClients clients;

  DecideReviewCommand(ApiClients clients) {
    this.clients = clients;
  }

  @Override
  public Integer call() {
    ReviewId.check(id);
    Asked asked = new Asked(List.copyOf(keep), List.copyOf(remove), followSuggestions);
    if (asked.nothing()) {
      throw new CliException(
          CliException.USAGE,
          "nothing to decide: give --keep PERSON, --remove PERSON or --follow-suggestions");
    }
    String path = "/v1/access-reviews/" + id;
    ApiClient api = clients.open(server);
    // 1. The review, read once: every PERSON is resolved against these items.
    JsonNode review = api.get(path, Map.of()).body();
    ReviewPeople people = ReviewPeople.of(review);
    // 2. What to send, refused here when it cannot be sent as asked.
    List<Decision> decisions =
        ReviewDecisions.plan(id, review.path("state").asText(), people, asked);
    // 3. As few requests as the server's body limit allows: usually one.
    JsonNode after = sent(api, path + "/decisions", items(decisions));
    PrintStream out = clients.env().out();
    if (server.output() == OutputFormat.JSON) {
      ReviewPrinter.json(out, after);
      return 0;
    }
    printed(out, people, decisions, after);
    return 0;
  }

  /**
   * The bytes one request's items may take: the server refuses bodies past 64 KiB, so a review's
   * decisions go in batches under it, each all or nothing on the server.
   */
  static final int BATCH_BYTES = 48 * 1024;

  /** Posts {@code items} in batches under {@link #BATCH_BYTES}; answers the last review seen. */
  private JsonNode sent(ApiClient api, String path, List<Map<String, Object>> items) {
    List<List<Map<String, Object>>> batches = batches(items);
    JsonNode after = null;
    int done = 0;
    for (List<Map<String, Object>> batch : batches) {
      try {
        after = api.post(path, Map.of("items", batch)).body();
      } catch (CliException e) {
        if (done == 0) {
          throw e;
        }
        throw new CliException(
            e.exitCode(),
            e.getMessage()
                + "; "
                + done
                + " of "
                + items.size()
                + " decisions were recorded before it (see stint access-review show "
                + id
                + ")");
      }
      done += batch.size();
    }
    return after;
  }

  /** {@code items} in order, in batches whose items take at most {@link #BATCH_BYTES}. */
  static List<List<Map<String, Object>>> batches(List<Map<String, Object>> items) {
    List<List<Map<String, Object>>> out = new ArrayList<>();
    List<Map<String, Object>> batch = new ArrayList<>();
    int bytes = 0;
    for (Map<String, Object> item : items) {
      int size = approximateBytes(item);
      if (!batch.isEmpty() && bytes + size > BATCH_BYTES) {
        out.add(batch);
        batch = new ArrayList<>();
        bytes = 0;
      }
      batch.add(item);
      bytes += size;
    }
    if (!batch.isEmpty()) {
      out.add(batch);
    }
    return out;
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** An item's size as JSON, and a comma. */
  private static int approximateBytes(Map<String, Object> item) {
    try {
      return JSON.writeValueAsBytes(item).length + 1;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a decision is plain JSON", e);
    }
  }

  private List<Map<String, Object>> items(List<Decision> decisions) {
    List<Map<String, Object>> items = new ArrayList<>();
    for (Decision d : decisions) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("issuer", d.item().issuer());
      item.put("subject", d.item().subject());
      item.put("decision", d.decision());
      if (comment != null) {
        item.put("comment", comment);
      }
      items.add(item);
    }
    return items;
  }

  /** What was decided, what a removal does, how many are left and the step that follows. */
  private void printed(
      PrintStream out, ReviewPeople people, List<Decision> decisions, JsonNode after) {
    out.println("decided " + decisions.size() + " in review " + id + ":");
    for (Decision d : decisions) {
      out.println(
          "  "
              + String.format("%-7s", d.decision())
              + Table.sanitize(people.label(d.item()))
              + (d.suggested() ? "  (as suggested)" : ""));
    }
    String profile = Table.sanitize(after.path("profile").asText());
    if (decisions.stream().anyMatch(d -> ReviewDecisions.REMOVE.equals(d.decision()))) {
      out.println(
          "Removed people may no longer request "
              + profile
              + "; their live grants of it are revoked."
              + " An admin undoes it: stint access-review restore "
              + profile
              + " --issuer URL --subject SUB");
    }
    int left = after.path("items_total").asInt() - after.path("items_decided").asInt();
    if (left > 0) {
      out.println(left + " left to decide.");
      out.println("Next: stint access-review show " + id);
    } else {
      out.println(
          "Everyone is decided; the review is " + Table.sanitize(after.path("state").asText()));
      out.println(
          "Next: stint access-review show " + id + " --export csv > " + id + ".csv for the record");
    }
  }
}
