package dev.stint.notify.slack;

import dev.stint.audit.AuditEvent;
import dev.stint.audit.AuditLog;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.identity.Principal;
import dev.stint.people.StoredClaims;
import io.vertx.core.Future;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Linking a Slack user to a stint person, always started by the person signed in to the web pages:
 * they name their Slack user id, stint sends that Slack user a one-time code by direct message, and
 * the person types it back. Only someone who is both the signed-in person and the Slack user can
 * finish, so nobody can link a Slack account to someone else, or claim someone else's Slack
 * account. The link keeps the claims of the sign-in that made it, and every later web sign-in
 * refreshes them ({@link #signedIn}).
 */
public final class SlackLinking {
  static final Duration CODE_LIFETIME = Duration.ofMinutes(10);
  private static final Pattern SLACK_USER = Pattern.compile("[UW][A-Z0-9]{2,40}");

  /** No 0/O or 1/I: the code is read in one window and typed into another. */
  private static final char[] ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();

  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * Codes one person may have sent per {@link #SENDS_WINDOW}, per server: each is a DM to someone.
   */
  static final int MAX_SENDS = 5;

  static final Duration SENDS_WINDOW = Duration.ofHours(1);
  private final Map<String, Deque<Instant>> sends = new ConcurrentHashMap<>();
  private final SlackApi slack;
  private final SlackLinks links;
  private final AuditLog audit;
  private final Clock clock;

  public SlackLinking(SlackApi slack, SlackLinks links, AuditLog audit, Clock clock) {
    this.slack = slack;
    this.links = links;
    this.audit = audit;
    this.clock = clock;
  }

  /** The person's current link, if any. */
  public Future<Optional<SlackLinks.Link>> current(Principal p) {
    return links.byPerson(p.issuer(), p.subject());
  }

  /** Sends a code to the Slack user {@code slackUser}, for the signed-in person to type back. */
  public Future<Void> start(Principal p, String slackUser) {
    String user = slackUser.strip();
    if (!SLACK_USER.matcher(user).matches()) {
      return Future.failedFuture(
          new StintException(
              ErrorCode.INVALID_REQUEST,
              "a Slack member id looks like U0123ABCD (Slack: your profile, ⋮, Copy member ID)"));
    }
    String code = code();
    Instant now = clock.instant();
    if (!mayStart(p, now)) {
      return recorded(p, "slack.link_refused", "refused", "too many codes asked for", user)
          .compose(
              x ->
                  Future.failedFuture(
                      new StintException(
                          ErrorCode.INVALID_REQUEST,
                          "you asked for "
                              + MAX_SENDS
                              + " codes within the hour; wait, then try again")));
    }
    return slack
        .member(user)
        .map(m -> m.map(SlackApi.Member::teamId))
        .compose(
            team -> {
              if (team.isEmpty()) {
                return recorded(p, "slack.link_refused", "refused", "no such Slack user", user)
                    .compose(
                        x ->
                            Future.failedFuture(
                                new StintException(
                                    ErrorCode.INVALID_REQUEST,
                                    "Slack knows no active member " + user)));
              }
              return links
                  .offer(p.issuer(), p.subject(), team.get(), user, code, now.plus(CODE_LIFETIME))
                  // Who asked, so a member who did not can tell, and why the code is never to be
                  // passed
                  // on: whoever types it in links this Slack account to their own stint identity.
                  .compose(
                      x ->
                          slack.direct(
                              user,
                              SlackText.escape(
                                      p.email().orElse(p.subject())
                                          + " ("
                                          + p.issuer()
                                          + ") asked to link this Slack account to their stint"
                                          + " identity.")
                                  + " Your stint linking code is "
                                  + code
                                  + " (valid for 10 minutes)."
                                  + " Type it in yourself on stint's page; never give it to anyone. If you did not"
                                  + " ask, ignore this message."))
                  .compose(x -> recorded(p, "slack.link_requested", "ok", "code sent", user));
            });
  }

  /**
   * Each code is a message to someone's Slack: a person may not have stint send them without end.
   */
  private boolean mayStart(Principal p, Instant now) {
    if (sends.size() > 10_000) {
      sends.clear();
    }
    Deque<Instant> mine =
        sends.computeIfAbsent(p.issuer() + "\n" + p.subject(), k -> new ArrayDeque<>());
    synchronized (mine) {
      while (!mine.isEmpty() && mine.peekFirst().isBefore(now.minus(SENDS_WINDOW))) {
        mine.removeFirst();
      }
      if (mine.size() >= MAX_SENDS) {
        return false;
      }
      mine.addLast(now);
      return true;
    }
  }

  /** Finishes the link if {@code code} is the one sent; a wrong code counts a try. */
  public Future<SlackLinks.Link> confirm(Principal p, String code) {
    Instant now = clock.instant();
    return links
        .redeem(
            p.issuer(),
            p.subject(),
            code.strip().toUpperCase(Locale.ROOT),
            StoredClaims.of(p),
            verifiedAt(p, now),
            now)
        .compose(
            link -> {
              if (link.isEmpty()) {
                return recorded(
                        p, "slack.link_refused", "refused", "wrong, used or expired code", null)
                    .compose(
                        x ->
                            Future.failedFuture(
                                new StintException(
                                    ErrorCode.INVALID_REQUEST,
                                    "that code is wrong, used up or expired;"
                                        + " ask for a new one")));
              }
              return recorded(p, "slack.linked", "ok", "linked", link.get().userId())
                  .map(link.get());
            });
  }

  /** Ends the person's link. */
  public Future<Void> unlink(Principal p) {
    return links
        .unlink(p.issuer(), p.subject())
        .compose(x -> recorded(p, "slack.unlinked", "ok", "unlinked", null));
  }

  /**
   * A web sign-in just verified these claims: a link, if the person has one, is judged on them from
   * now on. Never fails the sign-in (the caller ignores a failure).
   */
  public Future<Void> signedIn(Principal p) {
    return links.refresh(
        p.issuer(), p.subject(), StoredClaims.of(p), verifiedAt(p, clock.instant()));
  }

  /** When the IdP issued the ID token the claims came from ({@code iat}), never later than now. */
  static Instant verifiedAt(Principal p, Instant now) {
    Object iat = p.claims().get("iat");
    if (iat instanceof Number n) {
      Instant at = Instant.ofEpochSecond(n.longValue());
      return at.isAfter(now) ? now : at;
    }
    // Without iat: now. The claims come from a web session, which is at most web.session_ttl
    // old, so this overstates their freshness by at most that.
    return now;
  }

  private Future<Void> recorded(
      Principal p, String type, String outcome, String reason, String slackUser) {
    AuditEvent.Builder event =
        AuditEvent.builder(type)
            .actor(p.issuer(), p.subject(), p.email().orElse(null))
            .outcome(outcome)
            .reason(reason);
    if (slackUser != null) {
      event.detail("slack_user", slackUser);
    }
    return audit.append(event.build()).mapEmpty();
  }

  private static String code() {
    StringBuilder out = new StringBuilder(8);
    for (int i = 0; i < 8; i++) {
      out.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
    }
    return out.toString();
  }
}
