package dev.stint.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.access.AccessRequest.RequestState;
import dev.stint.access.Grant;
import dev.stint.access.NewRequest.Narrowed;
import dev.stint.identity.Person;
import dev.stint.testing.Requests;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A request's grant in the API says when it really ended ({@code ended_at}) beside its planned end
 * ({@code ends_at}): a revoked grant's is its revocation, an expired grant's its planned end, and a
 * running grant has none. Scripts reading {@code stint requests -o json} saw only the planned end.
 */
class RequestJsonTest {
  static final Instant STARTS = Instant.parse("2026-11-23T08:00:00Z");
  static final Instant ENDS = Instant.parse("2026-11-23T10:00:00Z");
  static final Person BOB = new Person("https://idp", "bob", Optional.of("bob@example.com"));

  static Grant grant(Optional<Grant.Revocation> revocation) {
    return new Grant(
        "grt_1",
        "req_1",
        "aws-prod",
        Requests.ALICE,
        STARTS,
        ENDS,
        false,
        revocation,
        Optional.empty(),
        Narrowed.NONE);
  }

  static JsonObject grantJson(RequestState state, Optional<Grant.Revocation> rv, Instant now) {
    return RequestJson.of(Requests.inState("req_1", state).grant(grant(rv)).build(), now)
        .getJsonObject("grant");
  }

  @Test
  void aRevokedGrantEndedAtItsRevocationNotItsPlannedEnd() {
    Instant revokedAt = Instant.parse("2026-11-23T09:20:00Z");
    JsonObject grant =
        grantJson(
            RequestState.REVOKED,
            Optional.of(new Grant.Revocation(BOB, revokedAt)),
            Instant.parse("2026-11-23T09:30:00Z"));

    assertThat(grant.getString("ended_at")).isEqualTo("2026-11-23T09:20:00Z");
    assertThat(grant.getString("revoked_at")).isEqualTo("2026-11-23T09:20:00Z");
    assertThat(grant.getString("ends_at")).as("the planned end stays").isEqualTo(ENDS.toString());
  }

  @Test
  void anExpiredGrantEndedAtItsPlannedEndAndARunningOneHasNotEnded() {
    JsonObject expired =
        grantJson(RequestState.APPROVED, Optional.empty(), Instant.parse("2026-11-23T10:00:01Z"));
    JsonObject running =
        grantJson(RequestState.APPROVED, Optional.empty(), Instant.parse("2026-11-23T09:00:00Z"));

    assertThat(expired.getString("ended_at")).isEqualTo(ENDS.toString());
    assertThat(running.containsKey("ended_at")).isTrue();
    assertThat(running.getValue("ended_at")).isNull();
  }
}
