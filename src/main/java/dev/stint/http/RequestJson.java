package dev.stint.http;

import dev.stint.access.AccessRequest;
import dev.stint.access.AccessRequest.StageProgress;
import dev.stint.access.Grant;
import dev.stint.access.NewRequest.Narrowed;
import dev.stint.access.Vote;
import dev.stint.common.FilledDocument;
import dev.stint.identity.Person;
import dev.stint.revocation.RevocationStatus;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.LinkedHashMap;

/** The JSON shape of a request in the API (ARCHITECTURE §4), in one place. */
public final class RequestJson {
  private RequestJson() {}

  public static JsonObject of(AccessRequest r, Instant now) {
    JsonObject json =
        new JsonObject()
            .put("id", r.id())
            .put("profile", r.profile())
            .put("state", r.shownStateAt(now))
            .put("requester", person(r.requester()))
            .put("reason", r.reason())
            .put("ticket", r.ticket().orElse(null))
            .put("duration_seconds", r.duration().toSeconds())
            .put("starts_at", r.startsAt().map(Instant::toString).orElse(null))
            .put("break_glass", r.breakGlass())
            .put("approvals_required", r.approvalsRequired())
            .put("approvals", votes(r))
            .put("stages", stages(r))
            .put("stage", StageProgress.open(r).map(StageProgress::name).orElse(null))
            .put("created_at", r.createdAt().toString())
            .put("updated_at", r.updatedAt().toString());
    narrowed(json, r.narrowed());
    r.grant().ifPresent(g -> json.put("grant", grant(g, now)));
    return json;
  }

  /**
   * A narrowed request's values, and the document they fill as approvers see it: the JSON itself,
   * not a string holding it, with its SHA-256 as the ledger and the audit name it.
   */
  private static void narrowed(JsonObject json, Narrowed narrowed) {
    json.put("parameters", new JsonObject(new LinkedHashMap<>(narrowed.values().values())))
        .put("narrowed_policy", narrowed.policy().map(p -> Json.decodeValue(p.json())).orElse(null))
        .put("narrowed_policy_sha256", narrowed.policy().map(FilledDocument::sha256).orElse(null));
  }

  /**
   * What a revoke ends and cannot end, and how far it has come (docs/api.md): {@code cloud} of the
   * credentials still valid (null when none is), {@code live_credentials} (the stage), {@code
   * credentials} (how many were still valid), {@code roles} whose deny names the grant, {@code
   * widened}, {@code latest_expiry} (null when none was issued) and a {@code note}.
   */
  public static JsonObject revocation(RevocationStatus.Status status) {
    return new JsonObject()
        .put("cloud", status.cloud().orElse(null))
        .put("live_credentials", status.stage().code())
        .put("credentials", status.credentials())
        .put("roles", new JsonArray(status.roles()))
        .put("widened", status.widened())
        .put("latest_expiry", status.latestExpiry().map(Instant::toString).orElse(null))
        .put("note", status.note());
  }

  static JsonObject person(Person p) {
    return new JsonObject()
        .put("issuer", p.issuer())
        .put("subject", p.subject())
        .put("email", p.email().orElse(null));
  }

  private static JsonArray votes(AccessRequest r) {
    JsonArray out = new JsonArray();
    for (Vote v : r.votes()) {
      out.add(
          new JsonObject()
              .put("approver", person(v.approver()))
              .put("decision", v.decision().code())
              .put("comment", v.comment().orElse(null))
              .put("stage", v.stage().orElse(null))
              .put("at", v.at().toString()));
    }
    return out;
  }

  /** Each stage of the request's approval, in order, with its approvals so far and its state. */
  static JsonArray stages(AccessRequest r) {
    JsonArray out = new JsonArray();
    for (StageProgress s : StageProgress.of(r)) {
      out.add(
          new JsonObject()
              .put("name", s.name())
              .put("count", s.count())
              .put("votes", s.votes())
              .put("state", s.state().code()));
    }
    return out;
  }

  /**
   * A grant: {@code ends_at} is its planned end, {@code ended_at} when it really ended (its
   * revocation, or its planned end once passed; null while it runs), so that nobody reads a revoked
   * grant's planned end as its end.
   */
  private static JsonObject grant(Grant g, Instant now) {
    Instant end = g.revocation().map(rv -> min(rv.at(), g.endsAt())).orElse(g.endsAt());
    JsonObject json =
        new JsonObject()
            .put("id", g.id())
            .put("starts_at", g.startsAt().toString())
            .put("ends_at", g.endsAt().toString())
            .put(
                "ended_at", g.revocation().isPresent() || !end.isAfter(now) ? end.toString() : null)
            .put("break_glass", g.breakGlass())
            .put("needs_review", g.needsReview());
    g.revocation()
        .ifPresent(
            rv -> json.put("revoked_at", rv.at().toString()).put("revoked_by", person(rv.by())));
    g.review()
        .ifPresent(
            rv -> json.put("reviewed_at", rv.at().toString()).put("reviewed_by", person(rv.by())));
    return json;
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
