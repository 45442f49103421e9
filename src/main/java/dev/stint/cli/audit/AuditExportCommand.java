package dev.stint.cli.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.cli.ApiClient;
import dev.stint.cli.CliEnvironment;
import dev.stint.cli.CliException;
import dev.stint.cli.PrivateFiles;
import dev.stint.cli.ServerOptions;
import dev.stint.cli.TokenSource;
import dev.stint.common.Durations;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code stint audit export}: pages through {@code GET /v1/audit} with its cursor and writes each
 * page as it arrives (JSON lines or CSV), so memory stays flat for any window. The window is fixed
 * once at the start: {@code --since 7d} means 7 days before the command started.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = "Export audit events as JSON lines (default) or CSV.")
public final class AuditExportCommand implements Callable<Integer> {
  static final int PAGE = 1000;

  private final CliEnvironment env;
  private final TokenSource tokens;

  @Option(
      names = "--since",
      required = true,
      paramLabel = "WHEN",
      description = "Start: ISO-8601 time or date, or a duration ago such as 7d or 24h.")
  String since;

  @Option(names = "--until", paramLabel = "WHEN", description = "End (exclusive); default: now.")
  String until;

  @Option(names = "--format", paramLabel = "FORMAT", description = "jsonl (default) or csv.")
  ExportFormat format = ExportFormat.JSONL;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write to FILE (created 0600, replaced only when complete) instead of stdout.")
  Path output;

  @Option(names = "--actor", description = "Only events by this subject or email.")
  String actor;

  @Option(names = "--profile", description = "Only events about this profile.")
  String profile;

  @Option(names = "--type", description = "Only events of this type, e.g. credential.issued.")
  String type;

  @Option(
      names = "--server",
      paramLabel = "URL",
      description =
          "stint server URL (default: $STINT_SERVER, else " + ServerOptions.DEFAULT_SERVER + ").")
  String server;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description = "Read the OIDC token from FILE instead of the stored login.")
  Path tokenFile;

  @Option(
      names = "--insecure",
      description =
          "Allow sending the token over plain http to a server that is not on this"
              + " machine (anyone on the path can read it).")
  boolean insecure;

  AuditExportCommand(CliEnvironment env, TokenSource tokens) {
    this.env = env;
    this.tokens = tokens;
  }

  @Override
  public Integer call() throws IOException {
    Instant now = env.clock().instant();
    Map<String, String> query = new LinkedHashMap<>();
    query.put("since", instant("--since", since, now).toString());
    query.put("until", (until == null ? now : instant("--until", until, now)).toString());
    query.put("actor", actor);
    query.put("profile", profile);
    query.put("type", type);
    query.put("limit", Integer.toString(PAGE));
    ServerOptions options = ServerOptions.of(server, tokenFile, insecure);
    ApiClient api =
        new ApiClient(options.serverUrl(env), tokens.token(options), options.insecure());
    Progress progress = new Progress(env.err(), output != null && System.console() != null);
    if (output == null) {
      Writer out = new OutputStreamWriter(nonClosing(env.out()), StandardCharsets.UTF_8);
      long n = export(api, query, out, progress);
      out.flush();
      progress.done(n);
    } else {
      long[] n = new long[1];
      PrivateFiles.writeStreaming(output, out -> n[0] = export(api, query, out, progress));
      progress.done(n[0]);
    }
    return 0;
  }

  private long export(ApiClient api, Map<String, String> query, Writer out, Progress progress)
      throws IOException {
    AuditRowWriter rows = new AuditRowWriter(format, out);
    long count = 0;
    Map<String, String> page = new LinkedHashMap<>(query);
    while (true) {
      JsonNode body = api.get("/v1/audit", page).body();
      for (JsonNode event : body.path("events")) {
        rows.write(event);
        count++;
      }
      out.flush();
      progress.update(count);
      JsonNode next = body.path("next_cursor");
      if (next.isNull() || next.isMissingNode() || next.asText().isEmpty()) {
        return count;
      }
      page.put("cursor", next.asText());
    }
  }

  static Instant instant(String option, String text, Instant now) {
    try {
      if (text.matches("(?:\\d+[dhms])+")) {
        return now.minus(Durations.parse(text));
      }
      if (text.length() == 10) {
        return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      return OffsetDateTime.parse(text).toInstant();
    } catch (IllegalArgumentException | DateTimeException e) {
      throw new CliException(
          CliException.USAGE,
          option
              + " must be an ISO-8601 time such as"
              + " 2026-01-02T03:04:05Z or 2026-01-02, or a duration ago such as 7d or 24h");
    }
  }

  private static OutputStream nonClosing(PrintStream out) {
    return new FilterOutputStream(out) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        flush();
      }
    };
  }

  /** "exported N events" on one rewritten stderr line, only for a person at a terminal. */
  private record Progress(PrintStream err, boolean shown) {
    void update(long n) {
      if (shown) {
        err.print("\rexported " + n + " events");
        err.flush();
      }
    }

    void done(long n) {
      if (shown) {
        err.println("\rexported " + n + " events");
      }
    }
  }
}
