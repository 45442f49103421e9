package dev.stint.http;

import dev.stint.access.AccessRequest;
import dev.stint.access.Grant;
import dev.stint.assignment.AssignmentStates;
import dev.stint.revocation.RevocationStatus;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Optional;

/**
 * What a request's page of the API shows of its grant besides the grant itself, each read where it
 * is kept: how far a revoked grant's revocation has come ({@code revocation}), and where an
 * Identity Center grant's account assignment stands ({@code grant.assignment}).
 */
public record GrantViews(RevocationStatus revocations, AssignmentStates assignments) {
  /**
   * {@code json} (the request as {@link RequestJson} writes it) with both added where they apply.
   */
  Future<JsonObject> shown(JsonObject json, AccessRequest r, Instant now) {
    return withRevocation(json, r, now).compose(shown -> withAssignment(shown, r));
  }

  private Future<JsonObject> withRevocation(JsonObject json, AccessRequest r, Instant now) {
    Optional<Grant> revoked = r.grant().filter(g -> g.revocation().isPresent());
    if (revoked.isEmpty()) {
      return Future.succeededFuture(json);
    }
    Grant g = revoked.get();
    return revocations
        .of(g, g.revocation().get().at(), now)
        .map(status -> json.put("revocation", RequestJson.revocation(status)));
  }

  private Future<JsonObject> withAssignment(JsonObject json, AccessRequest r) {
    Optional<Grant> grant = r.grant();
    if (grant.isEmpty()) {
      return Future.succeededFuture(json);
    }
    return assignments
        .of(grant.get().id())
        .map(
            state -> {
              state.ifPresent(
                  s ->
                      json.getJsonObject("grant")
                          .put("assignment", new JsonObject().put("state", s.code())));
              return json;
            });
  }
}
