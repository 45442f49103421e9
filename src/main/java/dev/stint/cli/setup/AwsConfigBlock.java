package dev.stint.cli.setup;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of an AWS config file that {@code stint setup aws} owns: the lines from {@link #BEGIN}
 * to {@link #END}; and, with other {@link Markers}, the block {@code stint lease create
 * --aws-profile} owns beside it (a re-run of setup replaces its own block whole, so a lease's
 * profile in it would be lost). Pure text in, text out: everything outside the block is kept byte
 * for byte, so a user's own profiles, comments and line endings survive every re-run.
 */
public final class AwsConfigBlock {
  public static final String BEGIN = "# >>> stint managed profiles";
  public static final String END = "# <<< stint managed profiles";
  private static final Pattern SECTION =
      Pattern.compile("^\\s*\\[\\s*(?:profile\\s+)?([^\\]]+?)\\s*\\]");

  /**
   * Which block: its opening and closing lines, the command that writes it (named in a refusal's
   * next step) and how that command names a profile otherwise.
   */
  public record Markers(String begin, String end, String command, String otherNames) {}

  /** The block of {@code stint setup aws}. */
  public static final Markers SETUP =
      new Markers(BEGIN, END, "stint setup aws", "choose other names with --prefix");

  /** One profile to write: the AWS profile name and its {@code credential_process} line. */
  public record Entry(String awsProfile, String credentialProcess, Optional<String> region) {}

  /**
   * The {@code [sso-session NAME]} IAM Identity Center profiles sign in through: the access
   * portal's start URL and its instance's region.
   */
  public record SsoSession(String name, String startUrl, String region) {
    /**
     * How the session's section is named, as a clash with the user's own sections is looked for.
     */
    public String section() {
      return "sso-session " + name;
    }
  }

  /**
   * One IAM Identity Center profile: signed in through the session, as the permission set {@code
   * roleName} in {@code accountId}.
   */
  public record SsoEntry(
      String awsProfile, String accountId, String roleName, Optional<String> region) {}

  /** The file before and after, and where the block sits in the new text. */
  public record Change(String before, String after, List<String> oldBlock, List<String> newBlock) {
    public boolean changed() {
      return !before.equals(after);
    }
  }

  /** A config that cannot be edited safely; the message says why and what to do. */
  public static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message);
    }
  }

  private AwsConfigBlock() {}

  /** The block's lines, markers included. */
  public static List<String> render(String server, List<Entry> entries) {
    return render(server, entries, Optional.empty(), List.of());
  }

  /**
   * The block's lines, markers included: the {@code credential_process} profiles, then the session
   * and the Identity Center profiles that use it (none without a session).
   */
  public static List<String> render(
      String server, List<Entry> entries, Optional<SsoSession> session, List<SsoEntry> sso) {
    List<String> lines =
        new ArrayList<>(
            render(
                SETUP,
                List.of(
                    "# Written by `stint setup aws` for " + server + "; running it again replaces",
                    "# everything up to the closing marker. Put your own profiles outside this"
                        + " block."),
                entries));
    String end = lines.remove(lines.size() - 1);
    session
        .filter(s -> !sso.isEmpty())
        .ifPresent(
            s -> {
              lines.add("");
              lines.add("[" + s.section() + "]");
              lines.add("sso_start_url = " + s.startUrl());
              lines.add("sso_region = " + s.region());
              lines.add("sso_registration_scopes = sso:account:access");
              for (SsoEntry entry : sso) {
                lines.add("");
                lines.add("[profile " + entry.awsProfile() + "]");
                lines.add("sso_session = " + s.name());
                lines.add("sso_account_id = " + entry.accountId());
                lines.add("sso_role_name = " + entry.roleName());
                entry.region().ifPresent(region -> lines.add("region = " + region));
              }
            });
    lines.add(end);
    return lines;
  }

  /** The lines of the block {@code markers} delimit: its comment, then one section per entry. */
  public static List<String> render(Markers markers, List<String> comment, List<Entry> entries) {
    List<String> lines = new ArrayList<>();
    lines.add(markers.begin());
    lines.addAll(comment);
    for (Entry entry : entries) {
      lines.add("");
      lines.add("[profile " + entry.awsProfile() + "]");
      lines.add("credential_process = " + entry.credentialProcess());
      entry.region().ifPresent(region -> lines.add("region = " + region));
    }
    lines.add(markers.end());
    return lines;
  }

  /**
   * The profiles the block {@code markers} delimit holds in {@code text} (none when there is no
   * block), as {@link #render} wrote them: for a command that changes one profile of its block and
   * keeps the others. Refuses what {@link #apply} refuses about the markers.
   */
  public static List<Entry> entries(String text, Markers markers) {
    List<String> block =
        apply(text, List.of(markers.begin(), markers.end()), List.of(), markers).oldBlock();
    List<Entry> entries = new ArrayList<>();
    String name = null;
    String process = null;
    Optional<String> region = Optional.empty();
    for (String line : block.subList(Math.min(1, block.size()), block.size())) {
      Matcher section = SECTION.matcher(line);
      boolean header = section.find();
      String stripped = line.strip();
      if (header || stripped.equals(markers.end())) {
        if (name != null && process != null) {
          entries.add(new Entry(name, process, region));
        }
        name = header ? section.group(1) : null;
        process = null;
        region = Optional.empty();
      } else if (stripped.startsWith("credential_process") && stripped.contains("=")) {
        process = stripped.substring(stripped.indexOf('=') + 1).strip();
      } else if (stripped.startsWith("region") && stripped.contains("=")) {
        region = Optional.of(stripped.substring(stripped.indexOf('=') + 1).strip());
      }
    }
    return entries;
  }

  /**
   * Replaces the block in {@code before} (or appends one) with {@code block}. Refuses a config
   * whose markers are unpaired or repeated, and profiles the user already defines outside the
   * block: the AWS CLI would merge the two sections, so neither would be what its owner wrote.
   */
  public static Change apply(String before, List<String> block, List<String> awsProfiles) {
    return apply(before, block, awsProfiles, SETUP);
  }

  /** {@link #apply(String, List, List)} for the block {@code markers} delimit. */
  public static Change apply(
      String before, List<String> block, List<String> awsProfiles, Markers markers) {
    String newline = before.contains("\r\n") ? "\r\n" : "\n";
    List<int[]> lines = lineSpans(before);
    int[] bounds = bounds(before, lines, markers);
    int begin = bounds[0];
    int end = bounds[1];
    refuseClashes(before, lines, begin, end, awsProfiles, markers);
    String blockText = String.join(newline, block) + newline;
    List<String> oldBlock = new ArrayList<>();
    String after;
    if (begin >= 0) {
      for (int i = begin; i <= end; i++) {
        oldBlock.add(text(before, lines.get(i)));
      }
      int from = lines.get(begin)[0];
      int to = lines.get(end)[2];
      after = before.substring(0, from) + blockText + before.substring(to);
    } else if (before.isEmpty()) {
      after = blockText;
    } else {
      String separator = before.endsWith("\n") ? newline : newline + newline;
      after = before + separator + blockText;
    }
    return new Change(before, after, oldBlock, block);
  }

  /**
   * The block's first and last line ({@code -1, -1} when there is none); refuses markers that are
   * repeated, or one without the other.
   */
  private static int[] bounds(String before, List<int[]> lines, Markers markers) {
    int begin = -1;
    int end = -1;
    for (int i = 0; i < lines.size(); i++) {
      String line = text(before, lines.get(i)).strip();
      if (line.equals(markers.begin())) {
        if (begin >= 0) {
          throw new Refused(
              "the config has two '"
                  + markers.begin()
                  + "' lines (lines "
                  + (begin + 1)
                  + " and "
                  + (i + 1)
                  + "); remove one block by hand, then run "
                  + markers.command()
                  + " again");
        }
        begin = i;
      } else if (line.equals(markers.end())) {
        if (begin < 0 || end >= 0) {
          throw new Refused(
              "the config has a '"
                  + markers.end()
                  + "' line (line "
                  + (i + 1)
                  + ") without its opening marker; fix the block by hand, then run "
                  + markers.command()
                  + " again");
        }
        end = i;
      }
    }
    if (begin >= 0 && end < 0) {
      throw new Refused(
          "the config opens stint's block (line "
              + (begin + 1)
              + ") but never closes"
              + " it with '"
              + markers.end()
              + "'; fix the block by hand, then run "
              + markers.command()
              + " again");
    }
    return new int[] {begin, end};
  }

  private static void refuseClashes(
      String text,
      List<int[]> lines,
      int begin,
      int end,
      List<String> awsProfiles,
      Markers markers) {
    for (int i = 0; i < lines.size(); i++) {
      if (begin >= 0 && i >= begin && i <= end) {
        continue;
      }
      Matcher section = SECTION.matcher(text(text, lines.get(i)));
      if (section.find() && awsProfiles.contains(section.group(1))) {
        throw new Refused(
            "profile "
                + section.group(1)
                + " is already defined outside stint's block"
                + " (line "
                + (i + 1)
                + "); rename or remove it, or "
                + markers.otherNames());
      }
    }
  }

  /** Each line as {start, end of its text, end including its line break}. */
  private static List<int[]> lineSpans(String text) {
    List<int[]> spans = new ArrayList<>();
    int start = 0;
    while (start < text.length()) {
      int nl = text.indexOf('\n', start);
      int next = nl < 0 ? text.length() : nl + 1;
      int end = nl < 0 ? text.length() : nl > start && text.charAt(nl - 1) == '\r' ? nl - 1 : nl;
      spans.add(new int[] {start, end, next});
      start = next;
    }
    return spans;
  }

  private static String text(String text, int[] span) {
    return text.substring(span[0], span[1]);
  }

  /**
   * The block's old and new lines as a line diff ({@code -}, {@code +}, or two spaces for a kept
   * line), from the longest common subsequence: blocks hold a few dozen lines.
   */
  public static List<String> diff(List<String> before, List<String> after) {
    int n = before.size();
    int m = after.size();
    int[][] common = new int[n + 1][m + 1];
    for (int i = n - 1; i >= 0; i--) {
      for (int j = m - 1; j >= 0; j--) {
        common[i][j] =
            before.get(i).equals(after.get(j))
                ? common[i + 1][j + 1] + 1
                : Math.max(common[i + 1][j], common[i][j + 1]);
      }
    }
    List<String> out = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && before.get(i).equals(after.get(j))) {
        out.add("  " + before.get(i++));
        j++;
      } else if (j < m && (i == n || common[i][j + 1] >= common[i + 1][j])) {
        out.add("+ " + after.get(j++));
      } else {
        out.add("- " + before.get(i++));
      }
    }
    return out;
  }
}
