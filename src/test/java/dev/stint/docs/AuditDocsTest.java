package dev.stint.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.config.ConfigKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/audit.md's event table and the code agree: every audit event type stint can write is in the
 * table, and every type in the table is one stint writes.
 *
 * <p>Most types never reach {@code AuditEvent.builder} as a literal: they travel as strings through
 * the state machines ({@code RequestMachine}, {@code ExtensionMachine}), lists of events and
 * helpers that take a {@code type}, so a scan of {@code builder("…")} alone would miss them. The
 * scan therefore takes every string literal in src/main/java shaped like an event type and requires
 * the table to list it, unless it is another kind of dotted name the code uses (configuration keys,
 * file and host names, JVM properties, stint's own metric and context names, policy-file paths),
 * each excluded below with its reason. A new event type written through a variable is still a
 * literal somewhere, so it cannot slip past.
 */
class AuditDocsTest {
  private static final Path MAIN = Path.of("src", "main", "java");
  private static final Path DOC = Path.of("docs", "audit.md");

  /** The shape {@code AuditEvent} accepts for a type, as a Java string literal. */
  private static final Pattern TYPE_LITERAL =
      Pattern.compile("\"([a-z][a-z_]*(?:\\.[a-z][a-z_]*)+)\"");

  private static final Pattern BUILDER_LITERAL =
      Pattern.compile("AuditEvent\\s*\\.\\s*builder\\s*\\(\\s*\"([^\"]*)\"");
  private static final Pattern CODE_SPAN = Pattern.compile("`([^`]+)`");

  /** Dotted literals that are not event types, each with why it is in the code. */
  private static final String LISTENER = "an outbox listener's name (outbox rows' listener column)";

  private static final String SCIM_PATH = "a SCIM attribute path that filters name (directory)";

  private static final String SCIM_COLUMN = "a column SCIM filters compile to (directory)";

  private static final Map<String, String> NOT_EVENTS =
      Map.ofEntries(
          Map.entry(
              "request.create",
              "the action of a refused request creation: request.refused's details.action"),
          Map.entry("aws.session_policy", "a policy-file path named in a policy problem"),
          Map.entry("gcp.access_boundary", "a policy-file path named in a policy problem"),
          Map.entry("login.issuer", "a policy-file path named in a policy problem"),
          Map.entry("web.issuer", "a policy-file path named in a policy problem"),
          Map.entry("facts.ticket", "a key of a policy test case's facts, named in its problem"),
          Map.entry("aws.revocation", LISTENER),
          Map.entry("notify.slack", LISTENER),
          Map.entry("notify.slack.app", LISTENER),
          Map.entry("notify.slack.lease", LISTENER),
          Map.entry("notify.slack.extension", LISTENER),
          Map.entry("notify.slack.requester", LISTENER),
          Map.entry("notify.slack.requester_extension", LISTENER),
          Map.entry("notify.teams", LISTENER),
          Map.entry("notify.teams.finding", LISTENER),
          Map.entry("notify.slack.app.finding", LISTENER),
          Map.entry("lease.grant_ended", LISTENER),
          Map.entry("lease.revocation", LISTENER),
          Map.entry("finding.act", LISTENER),
          Map.entry("lease.token", "the CLI's default file name of a lease's token (cli.lease)"),
          Map.entry(
              "request.reminder",
              "an outbox change (what notifiers hear); its audit event is request.reminded"),
          Map.entry("login.owner", "the CLI's file naming who is logged in (cli.LoginMarker)"),
          Map.entry("emails.value", SCIM_PATH),
          Map.entry("members.value", SCIM_PATH),
          Map.entry("e.address", SCIM_COLUMN),
          Map.entry("u.user_name", SCIM_COLUMN));

  /** JVM system properties, and names stint gives its own metrics, loggers and context keys. */
  private static final List<String> NOT_EVENT_PREFIXES =
      List.of("stint.", "java.", "jdk.", "sun.", "os.", "user.");

  /** File names and host names end in one of these. */
  private static final Set<String> NOT_EVENT_LAST_PARTS =
      Set.of(
          "css", "js", "json", "conf", "log", "pem", "yaml", "yml", "html", "txt", "sql", "com",
          "net", "org", "io", "cn");

  @Test
  void everyTypeTheCodeWritesIsInTheTable() {
    Set<String> missing = new TreeSet<>(eventTypesInCode());
    missing.removeAll(typesInTable());
    assertThat(missing)
        .as(
            "audit event types the code writes that docs/audit.md's event table does not list;"
                + " document them there, or, if one is not an event type, add it to NOT_EVENTS"
                + " with the reason")
        .isEmpty();
  }

  @Test
  void everyTypeInTheTableIsOneTheCodeWrites() {
    Set<String> unknown = new TreeSet<>(typesInTable());
    unknown.removeAll(eventTypesInCode());
    assertThat(unknown).as("types docs/audit.md lists that no code writes").isEmpty();
  }

  @Test
  void theScanSeesTypesThatNeverReachTheBuilderAsLiterals() {
    assertThat(builderLiterals()).as("AuditEvent.builder(\"…\") call sites").isNotEmpty();
    assertThat(eventTypesInCode())
        .contains(
            "approval.recorded",
            "request.approved",
            "grant.revocation_applied",
            "grant.revocation_failed",
            "credential.issued",
            "break_glass.used")
        .doesNotContainAnyElementsOf(NOT_EVENTS.keySet());
  }

  @Test
  void theExclusionsStillNameSomethingInTheCode() {
    Set<String> literals = literals(TYPE_LITERAL);
    assertThat(literals)
        .as("NOT_EVENTS entries no longer in the code; remove them")
        .containsAll(NOT_EVENTS.keySet());
    assertThat(typesInTable())
        .as("a listed type must not be excluded from the scan")
        .noneMatch(AuditDocsTest::excluded);
  }

  /** Every literal shaped like an event type, less the names that are something else. */
  private static Set<String> eventTypesInCode() {
    Set<String> types =
        literals(TYPE_LITERAL).stream()
            .filter(t -> !excluded(t))
            .collect(Collectors.toCollection(TreeSet::new));
    // A literal passed to the builder is an event type whatever it looks like.
    types.addAll(builderLiterals());
    return types;
  }

  private static boolean excluded(String literal) {
    String last = literal.substring(literal.lastIndexOf('.') + 1);
    return NOT_EVENTS.containsKey(literal)
        || NOT_EVENT_PREFIXES.stream().anyMatch(literal::startsWith)
        || NOT_EVENT_LAST_PARTS.contains(last)
        || ConfigKeys.ALL.stream().anyMatch(k -> k.name().equals(literal));
  }

  private static Set<String> builderLiterals() {
    return literals(BUILDER_LITERAL);
  }

  private static Set<String> literals(Pattern pattern) {
    Set<String> found = new TreeSet<>();
    for (Path file : javaFiles()) {
      Matcher m = pattern.matcher(read(file));
      while (m.find()) {
        found.add(m.group(1));
      }
    }
    return found;
  }

  /** The types in the first column of the table under "## Event types". */
  private static Set<String> typesInTable() {
    String doc = read(DOC);
    int start = doc.indexOf("\n## Event types\n");
    assertThat(start).as("docs/audit.md has an \"## Event types\" section").isNotNegative();
    int end = doc.indexOf("\n## ", start + 1);
    String section = end < 0 ? doc.substring(start) : doc.substring(start, end);
    Set<String> types = new TreeSet<>();
    for (String line : section.split("\n")) {
      if (!line.startsWith("| `")) {
        continue;
      }
      Matcher m = CODE_SPAN.matcher(line.substring(1, line.indexOf('|', 1)));
      while (m.find()) {
        types.add(m.group(1));
      }
    }
    assertThat(types).as("event types found in docs/audit.md's table").isNotEmpty();
    return types;
  }

  private static List<Path> javaFiles() {
    try (Stream<Path> files = Files.walk(MAIN)) {
      return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
