package dev.stint.mint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.ledger.Ledger;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whether a revoked grant's own sessions on a role may still be alive decides whether its tag stays
 * in the role's deny ({@code mint.aws.AwsSessionRevoker}); a wrong "no" leaves its live sessions
 * denied by the source identity alone. They count as alive until their last one expires, and not
 * from that instant on.
 */
class RevokedSessionsTest {
  static final Instant SESSIONS_UNTIL = Instant.parse("2026-11-26T13:00:00Z");
  static final SessionRevoker.Revoked REVOKED =
      new SessionRevoker.Revoked(
          "grt_1",
          "0123456789abcdef.grt_1",
          SESSIONS_UNTIL,
          SESSIONS_UNTIL.plus(Ledger.CHAIN),
          SESSIONS_UNTIL.minus(Duration.ofHours(1)));

  static Stream<Arguments> instants() {
    return Stream.of(
        Arguments.of("an hour before the last session expires", Duration.ofHours(-1), true),
        Arguments.of("a millisecond before", Duration.ofMillis(-1), true),
        Arguments.of("as the last session expires", Duration.ZERO, false),
        Arguments.of("a chain later, while chained sessions may live", Ledger.CHAIN, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("instants")
  void ownSessionsAreAliveUntilTheLastExpires(String name, Duration fromEnd, boolean alive) {
    assertThat(REVOKED.sessionsAlive(SESSIONS_UNTIL.plus(fromEnd))).isEqualTo(alive);
  }
}
