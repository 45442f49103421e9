package dev.stint.config;

import dev.stint.common.Durations;
import dev.stint.common.SecureUrls;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code notify.slack.*} keys: each value checked on its own, then together. No message ever
 * repeats a token or a secret.
 */
final class SlackKeys {
  private SlackKeys() {}

  /**
   * Slack's Web API, for interactive approval messages. The bot token ({@code xoxb-}), the signing
   * secret and the app token are never logged; a bot token with neither a signing secret nor an app
   * token is refused, since clicks could then not be verified. Absent token: no Slack app (the
   * incoming webhook above still works).
   */
  static final ConfigKey BOT_TOKEN =
      ConfigKey.scalar("notify.slack.bot_token", "STINT_SLACK_BOT_TOKEN", null);

  static final ConfigKey SIGNING_SECRET =
      ConfigKey.scalar("notify.slack.signing_secret", "STINT_SLACK_SIGNING_SECRET", null);

  /**
   * An app-level token ({@code xapp-}, scope {@code connections:write}): turns on Socket Mode,
   * where stint opens the WebSocket to Slack itself, so Slack needs no way in to stint.
   */
  static final ConfigKey APP_TOKEN =
      ConfigKey.scalar("notify.slack.app_token", "STINT_SLACK_APP_TOKEN", null);

  /** The channel id (such as C0123ABCD) request messages are posted to. */
  static final ConfigKey CHANNEL =
      ConfigKey.scalar("notify.slack.channel", "STINT_SLACK_CHANNEL", null);

  /** Slack's Web API base; https, or http on a loopback address for a local stand-in. */
  static final ConfigKey API_URL =
      ConfigKey.scalar("notify.slack.api_url", "STINT_SLACK_API_URL", "https://slack.com/api/");

  /**
   * A Slack click counts for a linked person only if that person signed in to stint (the web pages)
   * within this long: the approver rule is evaluated on the claims seen then.
   */
  static final ConfigKey IDENTITY_MAX_AGE =
      ConfigKey.scalar("notify.slack.identity_max_age", "STINT_SLACK_IDENTITY_MAX_AGE", "24h");

  /**
   * Also send each new request's message, and each waiting extension's, with its buttons, as a
   * direct message to every linked Slack user who could approve it (their identity no older than
   * identity_max_age).
   */
  static final ConfigKey DM_APPROVERS =
      ConfigKey.scalar("notify.slack.dm_approvers", "STINT_SLACK_DM_APPROVERS", "false");

  /**
   * Off unless set: a click from an unlinked Slack user counts for the one stint person whose
   * issuer verified the same email, seen within this long. Only for workspaces whose profile emails
   * the company's IdP manages (SSO and provisioning): Slack's email is then trusted.
   */
  static final ConfigKey EMAIL_LINK_WITHIN =
      ConfigKey.scalar("notify.slack.email_link_within", "STINT_SLACK_EMAIL_LINK_WITHIN", null);

  /**
   * The workspace (team id, T0123ABCD) the app is installed in: required with email_link_within,
   * which matches emails of that workspace's full members only.
   */
  static final ConfigKey TEAM_ID =
      ConfigKey.scalar("notify.slack.team_id", "STINT_SLACK_TEAM_ID", null);

  /**
   * The Slack app, when a bot token is set. The token with neither a signing secret nor an app
   * token is refused: the messages carry buttons, and a click that cannot be verified must never
   * count. A signing secret, app token or channel without a bot token is refused too, as it means a
   * half-done configuration.
   */
  static Optional<StintConfig.SlackApp> bind(KeyReader keys) {
    Optional<String> token = keys.optional(BOT_TOKEN, SlackKeys::botToken);
    Optional<String> secret = keys.optional(SIGNING_SECRET, SlackKeys::signingSecret);
    Optional<String> appToken = keys.optional(APP_TOKEN, SlackKeys::appToken);
    Optional<String> channel = keys.optional(CHANNEL, SlackKeys::channel);
    URI apiUrl = keys.scalar(API_URL, SlackKeys::apiUrl);
    Duration identityMaxAge = keys.scalar(IDENTITY_MAX_AGE, SlackKeys::identityMaxAge);
    Boolean dmApprovers = keys.scalar(DM_APPROVERS, SlackKeys::flag);
    Optional<Duration> emailLinkWithin =
        keys.optional(EMAIL_LINK_WITHIN, SlackKeys::emailLinkWithin);
    Optional<String> teamId = keys.optional(TEAM_ID, SlackKeys::teamId);
    List<String> problems = keys.problems();
    if (token.isEmpty()) {
      Optional<ConfigKey> set =
          secret.isPresent()
              ? Optional.of(SIGNING_SECRET)
              : appToken.isPresent() ? Optional.of(APP_TOKEN) : channel.map(c -> CHANNEL);
      set.ifPresent(
          k ->
              problems.add(
                  BOT_TOKEN.name()
                      + " is not set, but "
                      + k.name()
                      + " is: set the bot token too, or neither"));
      return Optional.empty();
    }
    boolean dms = Boolean.TRUE.equals(dmApprovers);
    List<String> missing =
        missing(secret.isPresent() || appToken.isPresent(), channel, dms, emailLinkWithin, teamId);
    problems.addAll(missing);
    if (!missing.isEmpty() || apiUrl == null || identityMaxAge == null || dmApprovers == null) {
      return Optional.empty();
    }
    return Optional.of(
        new StintConfig.SlackApp(
            token.get(),
            secret,
            appToken,
            channel,
            apiUrl,
            identityMaxAge,
            dms,
            emailLinkWithin,
            teamId));
  }

  /** What a bot token needs beside it and lacks, one problem each. */
  private static List<String> missing(
      boolean verifiable,
      Optional<String> channel,
      boolean dms,
      Optional<Duration> emailLinkWithin,
      Optional<String> teamId) {
    List<String> out = new ArrayList<>();
    if (!verifiable) {
      out.add(
          without(BOT_TOKEN, SIGNING_SECRET)
              + " or "
              + APP_TOKEN.name()
              + " ("
              + APP_TOKEN.env()
              + "): interactive messages need one to verify clicks (the app token turns on"
              + " Socket Mode, which needs no public endpoint)");
    }
    if (emailLinkWithin.isPresent() && teamId.isEmpty()) {
      out.add(
          without(EMAIL_LINK_WITHIN, TEAM_ID)
              + ": emails are matched only for full members of the app's own workspace");
    }
    if (channel.isEmpty() && !dms) {
      out.add(
          without(BOT_TOKEN, CHANNEL)
              + ": the channel id request messages are posted to (or set "
              + DM_APPROVERS.name()
              + ": true to send them to approvers only)");
    }
    return out;
  }

  /** "{@code set} is set without {@code needed} (its variable)". */
  private static String without(ConfigKey set, ConfigKey needed) {
    return set.name() + " is set without " + needed.name() + " (" + needed.env() + ")";
  }

  /** A Slack team (workspace) id such as T0123ABCD. */
  static String teamId(String s) {
    String t = s.strip();
    if (!t.matches("T[A-Z0-9]{4,}")) {
      throw new IllegalArgumentException(
          "expected a Slack team id such as T0123ABCD, got '" + s + "'");
    }
    return t;
  }

  static Boolean flag(String s) {
    String t = s.strip().toLowerCase(Locale.ROOT);
    if (!t.equals("true") && !t.equals("false")) {
      throw new IllegalArgumentException("expected true or false, got '" + s + "'");
    }
    return Boolean.valueOf(t);
  }

  /** Between five minutes and thirty days: how recently stint must have seen the email verified. */
  static Duration emailLinkWithin(String s) {
    Duration d = Durations.parse(s);
    if (d.compareTo(Duration.ofMinutes(5)) < 0 || d.compareTo(Duration.ofDays(30)) > 0) {
      throw new IllegalArgumentException("must be between 5m and 30d, got '" + s + "'");
    }
    return d;
  }

  /** Bot tokens start {@code xoxb-}; a user or app token here would act with other rights. */
  static String botToken(String s) {
    String t = s.strip();
    if (!t.startsWith("xoxb-") || t.length() < 16 || !printable(t)) {
      throw new IllegalArgumentException(
          "expected a Slack bot token (xoxb-...);" + " the value is not shown");
    }
    return t;
  }

  /**
   * App-level tokens start {@code xapp-}. A bot token here would be refused by Slack's {@code
   * apps.connections.open} at every attempt; saying so at start is kinder.
   */
  static String appToken(String s) {
    String t = s.strip();
    if (!t.startsWith("xapp-") || t.length() < 16 || !printable(t)) {
      throw new IllegalArgumentException(
          "expected a Slack app-level token (xapp-...); the value is not shown");
    }
    return t;
  }

  /** Slack's signing secrets are long hex strings; a short one would make clicks forgeable. */
  static String signingSecret(String s) {
    String t = s.strip();
    if (t.length() < 16 || !printable(t)) {
      throw new IllegalArgumentException(
          "expected the Slack app's signing secret (at least 16"
              + " characters); the value is not shown");
    }
    return t;
  }

  /** A channel id such as C0123ABCD (public), G… (private); names change, ids do not. */
  static String channel(String s) {
    String t = s.strip();
    if (!t.matches("[CGD][A-Z0-9]{4,}")) {
      throw new IllegalArgumentException(
          "expected a Slack channel id such as C0123ABCD, got '" + s + "'");
    }
    return t;
  }

  /**
   * The bot token travels with every call, so only https, or http to this machine (a local
   * stand-in). The Slack client appends method names, so the base always ends with a slash.
   */
  static URI apiUrl(String s) {
    URI uri;
    try {
      uri = new URI(s.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("expected an https URL, got '" + s + "'");
    }
    if (!SecureUrls.httpsOrLoopback(uri)
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null
        || uri.getRawUserInfo() != null) {
      // The value is not repeated: user info or a query may carry a credential.
      throw new IllegalArgumentException(
          "must be an https URL (http only to a loopback address),"
              + " without query, fragment or user info");
    }
    String text = uri.toString();
    return URI.create(text.endsWith("/") ? text : text + "/");
  }

  /** Between an hour and thirty days: the claims behind a click must be recent enough to trust. */
  static Duration identityMaxAge(String s) {
    Duration d = Durations.parse(s);
    if (d.compareTo(Duration.ofHours(1)) < 0 || d.compareTo(Duration.ofDays(30)) > 0) {
      throw new IllegalArgumentException("must be between 1h and 30d, got '" + s + "'");
    }
    return d;
  }

  private static boolean printable(String t) {
    return t.chars().allMatch(c -> c > 32 && c < 127);
  }
}
