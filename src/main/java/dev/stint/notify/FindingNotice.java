package dev.stint.notify;

import dev.stint.access.AccessRequest;
import dev.stint.finding.Finding;
import dev.stint.finding.rules.EventRef;
import io.vertx.core.Future;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * What a live finding's notice says, in every receiver alike (Slack, Teams, the webhooks): the
 * severity and rule, whose access and which request and lease, the rule's sentence, what stint does
 * about it (the action recorded when it was raised), and the page to look at (the lease's when a
 * lease's key made the call, else the request's). The request, read when the notice is delivered,
 * names the holder as people know them and what they asked for; a request that cannot be read
 * leaves the holder as their identity provider's subject. Never a credential.
 *
 * @param request the finding's request as it is now, if it could be read
 */
public record FindingNotice(Finding finding, Optional<AccessRequest> request, URI link) {
  /** The event a notice is, in the webhooks' bodies. */
  public static final String EVENT = "finding.raised";

  /** Reads what a notice of {@code f} shows: its request (without a caller: a notifier's read). */
  public static Future<FindingNotice> of(
      Finding f, Function<String, Future<Optional<AccessRequest>>> requests, PageLinks pages) {
    URI link = f.origin().leaseId().map(pages::leaseLink).orElseGet(() -> pages.link(requestId(f)));
    return requests
        .apply(requestId(f))
        .recover(e -> Future.succeededFuture(Optional.empty()))
        .map(r -> new FindingNotice(f, r, link));
  }

  private static String requestId(Finding f) {
    return f.origin().requestId();
  }

  /** {@code High}, {@code Medium}, {@code Low}. */
  public String severity() {
    String code = finding.severity().code();
    return code.substring(0, 1).toUpperCase(Locale.ROOT) + code.substring(1);
  }

  /** The holder as people know them (their email), else their subject. */
  public String holder() {
    return request.map(r -> r.requester().display()).orElse(finding.origin().holder().subject());
  }

  /** Which access made the call: {@code request req_…, lease lse_…}. */
  public String access() {
    return "request "
        + finding.origin().requestId()
        + finding.origin().leaseId().map(l -> ", lease " + l).orElse("");
  }

  /** What stint does about it, as recorded when it was raised. */
  public String done() {
    return switch (finding.action()) {
      case NOTIFIED -> "told the holder and the profile's approvers; nothing was ended";
      case LEASE_ENDED ->
          "stint ends lease "
              + finding.origin().leaseId().orElse("")
              + ": its sessions are denied; the grant stands";
      case GRANT_REVOKED ->
          "stint revokes the grant of "
              + finding.origin().requestId()
              + ": its sessions are denied";
      case NONE -> "nothing (a dry run)";
    };
  }

  /**
   * One line for a chat channel, each value people or the identity provider supplied (the holder,
   * the profile, the reason) passed through {@code user}, the sentence too (it quotes the calls'
   * names, which come from the cloud's log).
   */
  public String line(UnaryOperator<String> user) {
    return severity()
        + " finding "
        + finding.rule().id()
        + " on "
        + user.apply(holder())
        + "'s access to "
        + user.apply(finding.origin().profile())
        + " ("
        + access()
        + "): "
        + user.apply(finding.why())
        + " Done: "
        + done()
        + ".";
  }

  /** The generic webhook's body: stable field names receivers can rely on. */
  public Map<String, Object> body() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("event", EVENT);
    body.put("occurred_at", finding.raisedAt().toString());
    body.put("finding_id", finding.id());
    body.put("rule", finding.rule().id());
    body.put("severity", finding.severity().code());
    body.put("mode", finding.mode().code());
    body.put("action", finding.action().code());
    body.put("request_id", finding.origin().requestId());
    body.put("grant_id", finding.origin().grantId());
    finding.origin().leaseId().ifPresent(l -> body.put("lease_id", l));
    body.put("profile", finding.origin().profile());
    body.put(
        "person",
        Map.of(
            "issuer", finding.origin().holder().issuer(),
            "subject", finding.origin().holder().subject()));
    body.put("holder", holder());
    request.ifPresent(r -> body.put("reason", r.reason()));
    body.put("why", finding.why());
    body.put("done", done());
    body.put("events", events(finding.events()));
    body.put("url", link.toString());
    return body;
  }

  private static List<Map<String, Object>> events(List<EventRef> refs) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (EventRef e : refs) {
      out.add(
          Map.of(
              "event_id", e.eventId(),
              "event_name", e.eventName(),
              "event_source", e.eventSource(),
              "time", e.time().toString()));
    }
    return out;
  }
}
