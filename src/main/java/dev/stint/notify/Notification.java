package dev.stint.notify;

import dev.stint.access.AccessRequest;
import dev.stint.identity.Person;
import dev.stint.notify.slack.SlackMessage;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Something people should hear about a request: created, approved, denied, revoked or a break-glass
 * use. Carries only what a chat channel may see — never a credential.
 */
public record Notification(
    String event,
    AccessRequest request,
    Person actor,
    Optional<String> comment,
    Instant at,
    URI link) {

  /** The generic webhook body: stable field names receivers can rely on. */
  public Map<String, Object> body() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("event", event);
    body.put("occurred_at", at.toString());
    body.put("request_id", request.id());
    body.put("profile", request.profile());
    body.put("state", request.state().code());
    body.put("requester", request.requester().display());
    body.put("actor", actor.display());
    body.put("reason", request.reason());
    request.ticket().ifPresent(t -> body.put("ticket", t));
    body.put("duration_seconds", request.duration().toSeconds());
    body.put("break_glass", request.breakGlass());
    request
        .grant()
        .ifPresent(
            g -> {
              body.put("grant_id", g.id());
              body.put("grant_starts_at", g.startsAt().toString());
              body.put("grant_ends_at", g.endsAt().toString());
            });
    comment.ifPresent(c -> body.put("comment", c));
    body.put("url", link.toString());
    return body;
  }

  /** One line for a chat channel, as plain text. */
  public String summary() {
    return summary(UnaryOperator.identity());
  }

  /**
   * One line for a chat channel, with every value that people or identity providers supplied
   * (names, profile, reason, ticket, comment) passed through {@code user}: a chat format escapes
   * them there so that none can become markup.
   */
  public String summary(UnaryOperator<String> user) {
    String who = user.apply(request.requester().display());
    String by = user.apply(actor.display());
    String profile = user.apply(request.profile());
    String reason =
        user.apply(request.reason())
            + request.ticket().map(t -> " (ticket " + user.apply(t) + ")").orElse("");
    String what = profile + " for " + minutes(request.duration().toMinutes());
    String ends = request.grant().map(g -> g.endsAt().toString()).orElse("?");
    String line =
        switch (event) {
          case "request.created" -> who + " requests " + what + ": " + reason;
          case "request.approved" -> by + " approved " + who + "'s request for " + what;
          case "request.denied" -> by + " denied " + who + "'s request for " + what;
          case "grant.revoked" -> by + " revoked " + who + "'s access to " + profile;
          case "grant.sessions_cut" ->
              who
                  + "'s AWS sessions for "
                  + profile
                  + " were ended by"
                  + " another grant's revocation; the access stands, and a fresh session works"
                  + " (stint credentials --refresh)";
          case "request.escalated" ->
              who
                  + "'s request for "
                  + what
                  + " escalated: nobody decided in time, so more people may now approve it";
          case "request.reminder" ->
              "Reminder: "
                  + who
                  + "'s request for "
                  + what
                  + " still needs "
                  + SlackMessage.stillNeeded(request);
          case "grant.expiring" -> who + "'s access to " + profile + " ends at " + ends;
          case "grant.extension_requested" -> who + " asks to extend " + profile;
          case "grant.extended" -> who + "'s access to " + profile + " now ends at " + ends;
          case "grant.extension_denied" -> by + " denied " + who + "'s extension of " + profile;
          case "grant.expired" -> who + "'s access to " + profile + " has ended";
          case "assignment.failed" ->
              who
                  + "'s access to "
                  + profile
                  + " could not be set up in AWS IAM Identity Center, so the grant cannot be"
                  + " used: the directory admins must add or fix the user, and a new request be"
                  + " filed";
          case "break_glass.used" ->
              "BREAK-GLASS: " + who + " activated " + what + ": " + reason + " (needs review)";
          default -> event + " " + user.apply(request.id()) + " (" + profile + ")";
        };
    return comment.map(c -> line + " — \"" + user.apply(c) + "\"").orElse(line);
  }

  private static String minutes(long total) {
    if (total % 60 == 0) {
      return (total / 60) + "h";
    }
    return total > 60 ? (total / 60) + "h" + (total % 60) + "m" : total + "m";
  }
}
