package dev.stint.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.error.ErrorCode;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Pins the status every error code is sent with: clients depend on these. */
class HttpStatusesTest {
  static Stream<Arguments> table() {
    return Stream.of(
        Arguments.of(ErrorCode.UNAUTHENTICATED, 401),
        Arguments.of(ErrorCode.FORBIDDEN, 403),
        Arguments.of(ErrorCode.NOT_FOUND, 404),
        Arguments.of(ErrorCode.METHOD_NOT_ALLOWED, 405),
        Arguments.of(ErrorCode.INVALID_REQUEST, 400),
        Arguments.of(ErrorCode.PAYLOAD_TOO_LARGE, 413),
        Arguments.of(ErrorCode.UNSUPPORTED_MEDIA_TYPE, 415),
        Arguments.of(ErrorCode.CONFLICT, 409),
        Arguments.of(ErrorCode.STAGE_NOT_OPEN, 409),
        Arguments.of(ErrorCode.APPROVAL_REQUIRED, 403),
        Arguments.of(ErrorCode.RATE_LIMITED, 429),
        Arguments.of(ErrorCode.REVOCATIONS_PACED, 429),
        Arguments.of(ErrorCode.UPSTREAM_UNAVAILABLE, 503),
        Arguments.of(ErrorCode.AUDIT_UNAVAILABLE, 503),
        Arguments.of(ErrorCode.UNAVAILABLE, 503),
        Arguments.of(ErrorCode.INTERNAL, 500));
  }

  @ParameterizedTest
  @MethodSource("table")
  void eachCodeKeepsItsStatus(ErrorCode code, int status) {
    assertThat(HttpStatuses.of(code)).isEqualTo(status);
  }

  @Test
  void theTableCoversEveryCode() {
    Set<ErrorCode> pinned =
        table()
            .map(a -> (ErrorCode) a.get()[0])
            .collect(Collectors.toCollection(() -> EnumSet.noneOf(ErrorCode.class)));
    assertThat(pinned).isEqualTo(EnumSet.allOf(ErrorCode.class));
  }

  @Test
  void problemBodiesCarryTheMappedStatus() {
    for (ErrorCode code : ErrorCode.values()) {
      assertThat(Problems.body(code, "detail").getInteger("status"))
          .isEqualTo(HttpStatuses.of(code));
    }
  }
}
