package dev.stint.http;

import dev.stint.agent.Agent;
import dev.stint.lease.Lease;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/** The wire body of an enrolled agent: never its token, which only its enrollment's answer has. */
final class AgentJson {
  private AgentJson() {}

  static JsonObject of(Agent agent, List<Lease> asked, Instant now) {
    JsonArray leases = new JsonArray();
    for (Lease l : asked) {
      leases.add(
          new JsonObject()
              .put("id", l.id())
              .put("profile", l.profile())
              .put("task", l.task())
              .put("state", l.stateAt(now))
              .put("created_at", l.window().createdAt().toString())
              .put("expires_at", l.window().expiresAt().toString()));
    }
    JsonObject out =
        new JsonObject()
            .put("id", agent.id())
            .put("name", agent.name())
            .put("owner", agent.ownerLabel())
            .put("profiles", new JsonArray(agent.profiles()))
            .put("created_at", agent.createdAt().toString())
            .put("expires_at", agent.expiresAt().toString())
            .put("state", agent.stateAt(now))
            .put("asked", leases);
    agent.revokedAt().ifPresent(at -> out.put("revoked_at", at.toString()));
    return out;
  }
}
