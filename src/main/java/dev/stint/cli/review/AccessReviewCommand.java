package dev.stint.cli.review;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.cli.ApiClients;
import dev.stint.cli.ServerOptions;
import dev.stint.cli.ServerOptions.OutputFormat;
import dev.stint.cli.Table;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stint access-review}: the periodic reviews of who may request a profile. Reviewers see
 * them ({@code list}, {@code show}, with the export an auditor keeps) and decide who keeps access
 * ({@code decide}); admins open one now ({@code open}) and give back what a removal suspended
 * ({@code restore}). Each output ends with the step that usually follows.
 */
@Command(
    name = "access-review",
    description =
        "Review who may request a profile: list and show reviews, decide to keep or remove"
            + " each person, export the record; admins open reviews and restore eligibility.")
public final class AccessReviewCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** The command with its subcommands, ready to add under the root. */
  public static CommandLine commandLine(ApiClients clients) {
    return new CommandLine(new AccessReviewCommand())
        .addSubcommand("list", new ListReviews(clients))
        .addSubcommand("show", new ShowReviewCommand(clients))
        .addSubcommand("decide", new DecideReviewCommand(clients))
        .addSubcommand("open", new OpenReview(clients))
        .addSubcommand("restore", new RestoreEligibility(clients));
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code stint access-review list}: the reviews the caller may see, newest first. */
  @Command(name = "list", description = "List the access reviews you may see, newest first.")
  static final class ListReviews implements Callable<Integer> {
    @Mixin ServerOptions server = new ServerOptions();

    @Option(names = "--state", paramLabel = "STATE", description = "open or closed.")
    State state;

    @Option(names = "--profile", paramLabel = "PROFILE", description = "Only this profile's.")
    String profile;

    @Option(names = "--json", description = "The server's JSON (as --output json).")
    boolean json;

    private final ApiClients clients;

    ListReviews(ApiClients clients) {
      this.clients = clients;
    }

    /** The states a review is listed by. */
    enum State {
      OPEN,
      CLOSED
    }

    @Override
    public Integer call() {
      Map<String, String> query = new LinkedHashMap<>();
      query.put("state", state == null ? null : state.name().toLowerCase(Locale.ROOT));
      query.put("profile", profile);
      JsonNode body = clients.open(server).get("/v1/access-reviews", query).body();
      PrintStream out = clients.env().out();
      if (json || server.output() == OutputFormat.JSON) {
        ReviewPrinter.json(out, body);
        return 0;
      }
      JsonNode reviews = body.path("reviews");
      if (reviews.isEmpty()) {
        out.println(
            "no access reviews you may see" + (state == null ? "" : " in that state") + ".");
        out.println(
            "Next: a profile's access_review opens them on schedule;"
                + " an admin opens one now with stint access-review open PROFILE");
        return 0;
      }
      ReviewPrinter.table(out, reviews);
      out.println();
      out.println("Next: stint access-review show " + firstId(reviews) + " for its people");
      return 0;
    }

    private static String firstId(JsonNode reviews) {
      String id = reviews.get(0).path("id").asText();
      return ReviewId.matches(id) ? id : "ID";
    }
  }

  /** {@code stint access-review open PROFILE}: an admin opens a review of a profile now. */
  @Command(name = "open", description = "Open a review of a profile now (admins).")
  static final class OpenReview implements Callable<Integer> {
    @Mixin ServerOptions server = new ServerOptions();

    @Parameters(index = "0", paramLabel = "PROFILE", description = "The profile to review.")
    String profile;

    private final ApiClients clients;

    OpenReview(ApiClients clients) {
      this.clients = clients;
    }

    @Override
    public Integer call() {
      JsonNode review =
          clients.open(server).post("/v1/access-reviews", Map.of("profile", profile)).body();
      PrintStream out = clients.env().out();
      if (server.output() == OutputFormat.JSON) {
        ReviewPrinter.json(out, review);
        return 0;
      }
      String id = review.path("id").asText();
      out.println(
          Table.sanitize(
              "opened review "
                  + id
                  + " of "
                  + review.path("profile").asText()
                  + ": "
                  + people(review.path("items_total").asInt())
                  + " to review, due "
                  + review.path("due_at").asText()
                  + " (undecided then: "
                  + review.path("when_overdue").asText()
                  + ")."));
      out.println("Next: stint access-review show " + Table.sanitize(id));
      return 0;
    }
  }

  /**
   * {@code stint access-review restore PROFILE --issuer URL --subject SUB}: an admin gives back the
   * eligibility a review's removal suspended.
   */
  @Command(
      name = "restore",
      description = "Restore a person's eligibility for a profile that a review removed (admins).")
  static final class RestoreEligibility implements Callable<Integer> {
    @Mixin ServerOptions server = new ServerOptions();

    @Parameters(index = "0", paramLabel = "PROFILE", description = "The profile.")
    String profile;

    @Option(
        names = "--issuer",
        required = true,
        paramLabel = "URL",
        description = "The person's issuer, as 'access-review show' prints it.")
    String issuer;

    @Option(
        names = "--subject",
        required = true,
        paramLabel = "SUB",
        description = "The person's subject.")
    String subject;

    private final ApiClients clients;

    RestoreEligibility(ApiClients clients) {
      this.clients = clients;
    }

    @Override
    public Integer call() {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("profile", profile);
      body.put("issuer", issuer);
      body.put("subject", subject);
      JsonNode restored = clients.open(server).post("/v1/eligibility/restore", body).body();
      PrintStream out = clients.env().out();
      if (server.output() == OutputFormat.JSON) {
        ReviewPrinter.json(out, restored);
        return 0;
      }
      out.println(
          Table.sanitize(
              "restored "
                  + restored.path("subject").asText()
                  + " ("
                  + restored.path("issuer").asText()
                  + ") to "
                  + restored.path("profile").asText()
                  + ": suspended by review "
                  + restored.path("review").asText()
                  + " at "
                  + restored.path("suspended_at").asText()
                  + ", restored at "
                  + restored.path("restored_at").asText()
                  + "."));
      out.println(
          Table.sanitize(
              "Next: they may request it again: stint request "
                  + restored.path("profile").asText()));
      return 0;
    }
  }

  /** {@code 1 person}, {@code 5 people}. */
  static String people(int count) {
    return count == 1 ? "1 person" : count + " people";
  }
}
