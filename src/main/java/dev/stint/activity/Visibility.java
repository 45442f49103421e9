package dev.stint.activity;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * What the logs stint reads can show of the calls made with a grant's credentials (or a lease's):
 * which kinds of call are seen, and which could be made without stint ever seeing them. It is the
 * one place that decides whether "no call seen" may be read as "not used" ({@link #whole}). Pure.
 *
 * <ul>
 *   <li>AWS sessions: CloudTrail's event history, where stint looks each session up, holds
 *       management events only. Data events (S3 object reads and writes, DynamoDB item calls,
 *       Lambda invocations, …) reach stint only by the EventBridge push, and only when a trail logs
 *       them: so they count as seen only while the push is on and has delivered a data event from
 *       the session's account.
 *   <li>Entra tokens for Resource Manager: the Activity Log holds its writes, never reads or
 *       data-plane calls, so such a token's calls are never all seen.
 *   <li>Anything else (console sign-in links, Google tokens, other Entra tokens) is named by no log
 *       stint reads.
 * </ul>
 *
 * @param seen what is seen, in the order of {@link Seen}
 * @param unseen what may have been done unseen, in the order of {@link Unseen}
 * @param silentAccounts the AWS accounts of the sessions from which no data event was pushed
 * @param notLookedUp credentials no log stint reads names
 */
public record Visibility(
    List<Seen> seen, List<Unseen> unseen, List<String> silentAccounts, long notLookedUp) {

  /** Data events, as a person knows them. */
  static final String DATA_EVENTS =
      "data events (S3 object reads and writes, DynamoDB item calls, Lambda invocations, …)";

  public Visibility {
    seen = List.copyOf(seen);
    unseen = List.copyOf(unseen);
    silentAccounts = List.copyOf(silentAccounts);
  }

  /** A kind of call stint sees. */
  public enum Seen {
    MANAGEMENT_CALLS("management_calls", "management calls are looked up in CloudTrail"),
    DATA_EVENTS("data_events", "data events are pushed by EventBridge"),
    RESOURCE_MANAGER_WRITES(
        "resource_manager_writes",
        "Azure Resource Manager writes are looked up in the Activity Log");

    private final String code;
    private final String words;

    Seen(String code, String words) {
      this.code = code;
      this.words = words;
    }

    /** Its name on the wire. */
    public String code() {
      return code;
    }

    public String words() {
      return words;
    }
  }

  /** A kind of call that may be made without stint seeing it. */
  public enum Unseen {
    /** AWS data events while the push is off. */
    DATA_EVENTS_PUSH_OFF("data_events_push_off"),
    /** AWS data events while the push is on but has delivered none from the session's account. */
    DATA_EVENTS_NOT_PUSHED("data_events_not_pushed"),
    /** An Entra token's reads and data-plane calls. */
    AZURE_READS_AND_DATA_PLANE("azure_reads_and_data_plane"),
    /** Credentials no log stint reads names. */
    CREDENTIALS_NOT_LOOKED_UP("credentials_not_looked_up");

    private final String code;

    Unseen(String code) {
      this.code = code;
    }

    /** Its name on the wire. */
    public String code() {
      return code;
    }
  }

  /** Whether the CloudTrail ingest is on ({@code activity.ingest_token} set). */
  public enum Push {
    OFF,
    ON;

    public static Push of(boolean on) {
      return on ? ON : OFF;
    }
  }

  /**
   * What a view is made from: the credentials handed out, how many of them are AWS sessions looked
   * up in CloudTrail and Entra tokens looked up in the Activity Log, whether the push is on, and
   * the accounts of those sessions from which it never delivered a data event.
   */
  public record Facts(
      long issued,
      long awsSessions,
      long azureTokens,
      Push push,
      Collection<String> silentAccounts) {
    public Facts {
      silentAccounts = List.copyOf(new TreeSet<>(silentAccounts));
    }
  }

  /** Nothing handed out: nothing could have been used, and nothing is hidden. */
  public static final Visibility NOTHING_ISSUED =
      new Visibility(List.of(), List.of(), List.of(), 0);

  public static Visibility of(Facts f) {
    List<Seen> seen = new ArrayList<>();
    List<Unseen> unseen = new ArrayList<>();
    List<String> silent = List.of();
    if (f.awsSessions() > 0) {
      seen.add(Seen.MANAGEMENT_CALLS);
      if (f.push() == Push.OFF) {
        unseen.add(Unseen.DATA_EVENTS_PUSH_OFF);
      } else if (!f.silentAccounts().isEmpty()) {
        unseen.add(Unseen.DATA_EVENTS_NOT_PUSHED);
        silent = List.copyOf(f.silentAccounts());
      } else {
        seen.add(Seen.DATA_EVENTS);
      }
    }
    if (f.azureTokens() > 0) {
      seen.add(Seen.RESOURCE_MANAGER_WRITES);
      unseen.add(Unseen.AZURE_READS_AND_DATA_PLANE);
    }
    long notLookedUp = Math.max(0, f.issued() - f.awsSessions() - f.azureTokens());
    if (notLookedUp > 0) {
      unseen.add(Unseen.CREDENTIALS_NOT_LOOKED_UP);
    }
    return new Visibility(seen, unseen, silent, notLookedUp);
  }

  /**
   * What several grants' views show together (a person's grants in a review): what any of them
   * sees, and what any of them may have done unseen.
   */
  public static Visibility merged(Collection<Visibility> views) {
    TreeSet<Seen> seen = new TreeSet<>();
    TreeSet<Unseen> unseen = new TreeSet<>();
    TreeSet<String> silent = new TreeSet<>();
    long notLookedUp = 0;
    for (Visibility v : views) {
      seen.addAll(v.seen());
      unseen.addAll(v.unseen());
      silent.addAll(v.silentAccounts());
      notLookedUp += v.notLookedUp();
    }
    return new Visibility(List.copyOf(seen), List.copyOf(unseen), List.copyOf(silent), notLookedUp);
  }

  /**
   * Every call the credentials could make is in what stint reads (or none was handed out): only
   * then does "no call seen" mean "not used".
   */
  public boolean whole() {
    return unseen.isEmpty();
  }

  /** What is seen and what is not, for a person: one line. */
  public String says() {
    List<String> parts = new ArrayList<>();
    seen.forEach(s -> parts.add(s.words()));
    parts.addAll(unseenWords());
    return parts.isEmpty() ? "no credential was handed out" : String.join("; ", parts);
  }

  /** Why calls may have gone unseen, one phrase per {@link Unseen}; none when {@link #whole}. */
  public List<String> unseenWords() {
    return unseen.stream().map(this::words).toList();
  }

  private String words(Unseen u) {
    return switch (u) {
      case DATA_EVENTS_PUSH_OFF ->
          DATA_EVENTS
              + " are not visible: they reach stint only by the EventBridge push, which is off"
              + " (activity.ingest_token)";
      case DATA_EVENTS_NOT_PUSHED ->
          DATA_EVENTS
              + " are not visible: they reach stint only by the EventBridge push, which has"
              + " delivered none from "
              + accounts()
              + " (no trail logs them there, or no rule forwards them)";
      case AZURE_READS_AND_DATA_PLANE ->
          "Azure reads and data-plane calls (storage, Key Vault, …) are not visible: the Activity"
              + " Log holds Resource Manager writes only";
      case CREDENTIALS_NOT_LOOKED_UP ->
          "the calls of "
              + notLookedUp
              + (notLookedUp == 1 ? " credential are" : " credentials are")
              + " not visible: no log stint reads names "
              + (notLookedUp == 1 ? "it" : "them")
              + " (console sign-in links, Google tokens, Entra tokens for other resources)";
    };
  }

  private String accounts() {
    List<String> known = silentAccounts.stream().filter(a -> !a.isEmpty()).toList();
    List<String> named = new ArrayList<>();
    if (!known.isEmpty()) {
      named.add((known.size() == 1 ? "account " : "accounts ") + String.join(", ", known));
    }
    if (known.size() < silentAccounts.size()) {
      named.add("an account stint could not tell");
    }
    return String.join(" or ", named);
  }
}
