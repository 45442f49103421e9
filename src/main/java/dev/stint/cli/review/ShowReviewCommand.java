package dev.stint.cli.review;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.cli.ApiClient;
import dev.stint.cli.ApiClients;
import dev.stint.cli.CliException;
import dev.stint.cli.ServerOptions;
import dev.stint.cli.ServerOptions.OutputFormat;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stint access-review show REVIEW}: the review and a row per person, each named as {@code
 * decide} takes them; or, with {@code --export csv|json}, the server's export written to stdout as
 * it came, for an auditor to keep (redirect it to a file).
 */
@Command(
    name = "show",
    description =
        "Show a review and its people, or write its export (--export csv|json) to stdout.")
final class ShowReviewCommand implements Callable<Integer> {
  /** The formats the server exports a review in. */
  enum Export {
    CSV("text/csv"),
    JSON("application/json");

    final String mediaType;

    Export(String mediaType) {
      this.mediaType = mediaType;
    }
  }

  @Mixin ServerOptions server = new ServerOptions();

  @Parameters(index = "0", paramLabel = "REVIEW", description = "The review id (rvw_…).")
  String id;

  @Option(names = "--json", description = "The server's JSON (as --output json).")
  boolean json;

  @Option(
      names = "--export",
      paramLabel = "FORMAT",
      description = "csv or json: the server's export, unchanged, to stdout.")
  Export export;

  private final ApiClients clients;

  ShowReviewCommand(ApiClients clients) {
    this.clients = clients;
  }

  @Override
  public Integer call() {
    ReviewId.check(id);
    if (export != null && (json || server.output() == OutputFormat.JSON)) {
      throw new CliException(
          CliException.USAGE, "--export writes the server's document itself: leave out --json");
    }
    ApiClient api = clients.open(server);
    PrintStream out = clients.env().out();
    String path = "/v1/access-reviews/" + id;
    if (export != null) {
      // Byte for byte what the server wrote: the record an auditor keeps is the server's.
      String format = export.name().toLowerCase(Locale.ROOT);
      out.print(api.getText(path + "/export", Map.of("format", format), export.mediaType));
      out.flush();
      return 0;
    }
    JsonNode review = api.get(path, Map.of()).body();
    if (json || server.output() == OutputFormat.JSON) {
      ReviewPrinter.json(out, review);
      return 0;
    }
    ReviewPrinter.details(out, review);
    out.println();
    long undecided = ReviewPeople.of(review).items().stream().filter(i -> !i.decided()).count();
    if ("open".equals(review.path("state").asText()) && undecided > 0) {
      out.println(undecided + " to decide.");
      out.println(
          "Next: stint access-review decide "
              + id
              + " --keep PERSON --remove PERSON (or --follow-suggestions), PERSON as WHO above");
    } else {
      out.println(
          "Next: stint access-review show " + id + " --export csv > " + id + ".csv for the record");
    }
    return 0;
  }
}
