package dev.stint.notify;

import dev.stint.access.AccessRequest;
import dev.stint.access.Person;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Something people should hear about a request: created, approved, denied, revoked or a
 * break-glass use. Carries only what a chat channel may see — never a credential.
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
    request.grant().ifPresent(g -> {
      body.put("grant_id", g.id());
      body.put("grant_starts_at", g.startsAt().toString());
      body.put("grant_ends_at", g.endsAt().toString());
    });
    comment.ifPresent(c -> body.put("comment", c));
    body.put("url", link.toString());
    return body;
  }

  /** One line for a chat channel. */
  public String summary() {
    String who = request.requester().display();
    String what = request.profile() + " for " + minutes(request.duration().toMinutes());
    String line = switch (event) {
      case "request.created" -> who + " requests " + what + ": " + request.reason();
      case "request.approved" -> actor.display() + " approved " + who + "'s request for " + what;
      case "request.denied" -> actor.display() + " denied " + who + "'s request for " + what;
      case "grant.revoked" -> actor.display() + " revoked " + who + "'s access to "
          + request.profile();
      case "grant.expiring" -> who + "'s access to " + request.profile() + " ends at "
          + request.grant().map(g -> g.endsAt().toString()).orElse("?");
      case "grant.extension_requested" -> who + " asks to extend " + request.profile();
      case "grant.extended" -> who + "'s access to " + request.profile() + " now ends at "
          + request.grant().map(g -> g.endsAt().toString()).orElse("?");
      case "grant.extension_denied" -> actor.display() + " denied " + who + "'s extension of "
          + request.profile();
      case "grant.expired" -> who + "'s access to " + request.profile() + " has ended";
      case "break_glass.used" -> "BREAK-GLASS: " + who + " activated " + what + ": "
          + request.reason() + " (needs review)";
      default -> event + " " + request.id() + " (" + request.profile() + ")";
    };
    return comment.map(c -> line + " — \"" + c + "\"").orElse(line);
  }

  private static String minutes(long total) {
    if (total % 60 == 0) {
      return (total / 60) + "h";
    }
    return total > 60 ? (total / 60) + "h" + (total % 60) + "m" : total + "m";
  }
}
