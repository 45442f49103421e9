package dev.stint.http;

import dev.stint.access.AccessRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A bundle on the wire: its id, policy name, profiles, one state when its requests agree ({@code
 * mixed} once one was revoked or expired apart), the shared reason, each request, and one grant per
 * approved profile.
 */
final class BundleJson {
  private BundleJson() {}

  static JsonObject of(
      String id, Optional<String> name, List<AccessRequest> requests, Instant now) {
    JsonArray profiles = new JsonArray();
    JsonArray members = new JsonArray();
    JsonArray grants = new JsonArray();
    for (AccessRequest r : requests) {
      profiles.add(r.profile());
      JsonObject json = RequestJson.of(r, now);
      members.add(json);
      if (json.containsKey("grant")) {
        grants.add(json.getJsonObject("grant").copy().put("profile", r.profile()));
      }
    }
    List<String> states = requests.stream().map(r -> r.shownStateAt(now)).distinct().toList();
    AccessRequest first = requests.get(0);
    return new JsonObject()
        .put("id", id)
        .put("bundle", name.orElse(null))
        .put("profiles", profiles)
        .put("state", states.size() == 1 ? states.get(0) : "mixed")
        .put("requester", RequestJson.person(first.requester()))
        .put("reason", first.reason())
        .put("duration_seconds", first.duration().toSeconds())
        .put("approvals_required", first.approvalsRequired())
        .put("approvals", members.getJsonObject(0).getValue("approvals"))
        .put("stages", members.getJsonObject(0).getValue("stages"))
        .put("stage", members.getJsonObject(0).getValue("stage"))
        .put("requests", members)
        .put("grants", grants);
  }
}
