package dev.stint.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.access.AccessRequest;
import dev.stint.access.Grant;
import dev.stint.access.NewRequest.Narrowed;
import dev.stint.assignment.AssignmentState;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Requests;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A request's grant shows its Identity Center assignment's state, and a role's grant none. */
class GrantViewsTest {
  static final Instant NOW = Requests.AT.plusSeconds(60);

  private static AccessRequest approved(String grantId) {
    Grant grant =
        new Grant(
            grantId,
            "req_1",
            "prod",
            Requests.ALICE,
            Requests.AT,
            Requests.AT.plusSeconds(3600),
            false,
            Optional.empty(),
            Optional.empty(),
            Narrowed.NONE);
    return Requests.approved("req_1").grant(grant).build();
  }

  @Test
  void anAssignmentsStateIsShownOnTheGrant() throws Exception {
    GrantViews views =
        new GrantViews(
            null,
            id ->
                Future.succeededFuture(
                    id.equals("grt_sso")
                        ? Optional.of(AssignmentState.CREATED)
                        : Optional.empty()));
    AccessRequest r = approved("grt_sso");
    JsonObject shown = AuditTables.await(views.shown(RequestJson.of(r, NOW), r, NOW));
    assertThat(shown.getJsonObject("grant").getJsonObject("assignment"))
        .isEqualTo(new JsonObject().put("state", "created"));

    AccessRequest role = approved("grt_role");
    JsonObject plain = AuditTables.await(views.shown(RequestJson.of(role, NOW), role, NOW));
    assertThat(plain.getJsonObject("grant").containsKey("assignment")).isFalse();
  }
}
