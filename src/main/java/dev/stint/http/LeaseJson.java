package dev.stint.http;

import dev.stint.common.FilledDocument;
import dev.stint.identity.Person;
import dev.stint.lease.Lease;
import dev.stint.ledger.LedgerCredential;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The wire body of a task lease (ARCHITECTURE §13): never its token, which only the answer that
 * creates it carries. {@code state} is as of the answer: an active lease past its end is {@code
 * expired}. A lease an enrolled agent asked says so as approvers read it ({@code asked_by}: "asked
 * by agent coder (bob's)").
 */
final class LeaseJson {
  private LeaseJson() {}

  static JsonObject of(Lease lease, Instant now) {
    JsonObject out =
        new JsonObject()
            .put("id", lease.id())
            .put("request_id", lease.requestId())
            .put("grant_id", lease.grantId())
            .put("profile", lease.profile())
            .put("holder", person(lease.holder()))
            .put("task", lease.task())
            .put("created_at", lease.window().createdAt().toString())
            .put("expires_at", lease.window().expiresAt().toString())
            .put("state", lease.stateAt(now))
            .put(
                "parameters",
                new JsonObject(new LinkedHashMap<>(lease.narrowing().values().values())))
            .put(
                "policy", lease.narrowing().policy().map(p -> new JsonArray(p.json())).orElse(null))
            .put(
                "policy_sha256",
                lease.narrowing().policy().map(FilledDocument::sha256).orElse(null))
            .put("agent", lease.agent().map(LeaseJson::person).orElse(null));
    lease.askedBy().ifPresent(a -> out.put("asked_by", a.label()).put("agent_name", a.agentName()));
    lease
        .approval()
        .ifPresent(
            a -> out.put("approved_at", a.at().toString()).put("approved_by", person(a.by())));
    lease
        .end()
        .ifPresent(
            end -> out.put("ended_at", end.at().toString()).put("ended_by", person(end.by())));
    return out;
  }

  /** A lease with the credentials minted on it (ids, times and states: never a secret). */
  static JsonObject of(Lease lease, List<LedgerCredential> credentials, Instant now) {
    JsonArray minted = new JsonArray();
    for (LedgerCredential c : credentials) {
      minted.add(
          new JsonObject()
              .put("id", c.entry().id())
              .put("cloud", c.entry().receipt().cloud())
              .put("issued_at", c.issuedAt().toString())
              .put("expires_at", c.entry().receipt().expiresAt().toString())
              .put("state", c.stateAt(now).code()));
    }
    return of(lease, now).put("credentials", minted);
  }

  private static JsonObject person(Person p) {
    return new JsonObject().put("issuer", p.issuer()).put("subject", p.subject());
  }
}
