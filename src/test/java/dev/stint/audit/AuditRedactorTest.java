package dev.stint.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stint.error.StintException;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which fields are a caller's (redacted, named in details.redacted) and which are stint's own
 * (refused by SecretGuard), one case per field; the person's issuer and subject are neither.
 */
class AuditRedactorTest {
  static final String SHAPE = "Zq8rT2vLx0Wm4NbY7cHs1KdJf5Gp3Ae9Ru6Vi0Ox";
  static final AuditRedactor REDACTOR = AuditRedactor.withRandomKey();

  static Stream<Arguments> callerFields() {
    return Stream.of(
        field("actor_email", (b, v) -> b.actor("https://idp", "alice", v)),
        field("request_id", AuditEvent.Builder::requestId),
        field("profile", AuditEvent.Builder::profile),
        field("reason", AuditEvent.Builder::reason),
        field("client_address", (b, v) -> b.client(v, null)),
        field("user_agent", (b, v) -> b.client(null, v)),
        field("details.ticket", (b, v) -> b.detail("ticket", v)),
        field("details.comment", (b, v) -> b.detail("comment", v)),
        field("details.destination", (b, v) -> b.detail("destination", v)),
        field("details.path", (b, v) -> b.detail("path", "/v1/requests/" + v)));
  }

  static Arguments field(
      String name, BiFunction<AuditEvent.Builder, String, AuditEvent.Builder> set) {
    return Arguments.of(name, set);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("callerFields")
  void aCallersSecretShapedValueIsRedactedAndNamed(
      String name, BiFunction<AuditEvent.Builder, String, AuditEvent.Builder> set) {
    AuditEvent given = set.apply(AuditEvent.builder("request.refused"), "x " + SHAPE).build();

    AuditEvent stored = REDACTOR.redact(given);

    SecretGuard.check(stored);
    assertThat(stored.toString()).doesNotContain(SHAPE).contains(REDACTOR.marker(SHAPE));
    assertThat(stored.details().get("redacted")).isEqualTo(List.of(name));
  }

  /** Words, not one long token: a long run of letters is itself secret-shaped. */
  static String words(int length) {
    return "ab ".repeat(length / 3 + 1).substring(0, length);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("callerFields")
  void aCallersOverlongValueIsCutAndNamed(
      String name, BiFunction<AuditEvent.Builder, String, AuditEvent.Builder> set) {
    String huge = words(8_000);
    AuditEvent given = set.apply(AuditEvent.builder("request.refused"), huge).build();

    AuditEvent stored = REDACTOR.redact(given);

    assertThat(stored.toString())
        .doesNotContain(huge.substring(0, AuditRedactor.MAX_CALLER_TEXT + 1))
        .contains(huge.substring(0, AuditRedactor.MAX_CALLER_TEXT - 20));
    assertThat(stored.toString()).contains(" characters]");
    assertThat(stored.details().get("truncated")).isEqualTo(List.of(name));
    assertThat(stored.details()).doesNotContainKey("redacted");
  }

  @Test
  void aUserAgentIsKeptToTheLimitThenMarkedWithItsLength() {
    String agent = words(8_000);
    AuditEvent stored =
        REDACTOR.redact(AuditEvent.builder("request.refused").client("203.0.113.9", agent).build());

    assertThat(stored.userAgent())
        .isEqualTo(
            agent.substring(0, AuditRedactor.MAX_CALLER_TEXT) + "[cut from 8000 characters]");
    assertThat(stored.clientAddress()).isEqualTo("203.0.113.9");
  }

  @Test
  void aSecretAtTheCutIsRedactedWholeAndItsMarkerIsNotSplit() {
    String before = words(AuditRedactor.MAX_CALLER_TEXT - 10);
    String agent = before + " " + SHAPE + " tail";
    AuditEvent stored =
        REDACTOR.redact(AuditEvent.builder("request.refused").client(null, agent).build());

    SecretGuard.check(stored);
    assertThat(stored.userAgent())
        .doesNotContain(SHAPE.substring(0, 8))
        .isEqualTo(before + " [cut from " + agent.length() + " characters]");
    assertThat(stored.details().get("redacted")).isEqualTo(List.of("user_agent"));
    assertThat(stored.details().get("truncated")).isEqualTo(List.of("user_agent"));
  }

  @Test
  void aCutThatWouldLeaveAKeyShapedRunDropsTheRunSoTheEventIsStillWritten() {
    // Sixty mixed letters and digits are no secret shape; the first forty of them are one.
    String run = "Ab1".repeat(20);
    String before = words(AuditRedactor.MAX_CALLER_TEXT - 40);
    AuditEvent given = AuditEvent.builder("credential.denied").client(null, before + run).build();
    SecretGuard.check(given);

    AuditEvent stored = REDACTOR.redact(given);

    SecretGuard.check(stored);
    assertThat(stored.userAgent())
        .isEqualTo(before + "[cut from " + (before.length() + run.length()) + " characters]");
    assertThat(stored.details()).doesNotContainKey("redacted");
    assertThat(stored.details().get("truncated")).isEqualTo(List.of("user_agent"));
  }

  @Test
  void aValueAtTheLimitIsKeptWholeAndACutNeverSplitsACharacter() {
    String atLimit = words(AuditRedactor.MAX_CALLER_TEXT);
    AuditEvent whole =
        REDACTOR.redact(AuditEvent.builder("request.refused").reason(atLimit).build());
    assertThat(whole.reason()).isEqualTo(atLimit);
    assertThat(whole.details()).doesNotContainKey("truncated");

    String before = words(AuditRedactor.MAX_CALLER_TEXT - 1);
    String cut =
        REDACTOR
            .redact(
                AuditEvent.builder("request.refused")
                    .reason(before + "\uD83D\uDE00" + words(50))
                    .build())
            .reason();
    assertThat(cut)
        .isEqualTo(before + "[cut from " + (AuditRedactor.MAX_CALLER_TEXT + 51) + " characters]");
  }

  @Test
  void thePersonIsKeptAsItIs() {
    AuditEvent given =
        AuditEvent.builder("request.created")
            .actor("https://login.microsoftonline.com/t/v2.0", "xQ-" + SHAPE, null)
            .build();

    AuditEvent stored = REDACTOR.redact(given);

    SecretGuard.check(stored);
    assertThat(stored).isSameAs(given);
  }

  @Test
  void stintsOwnValuesAreStillRefused() {
    for (AuditEvent own :
        List.of(
            AuditEvent.builder("credential.issued").target(SHAPE).build(),
            AuditEvent.builder("credential.issued").grantId(SHAPE).build(),
            AuditEvent.builder("credential.issued").detail("credential", SHAPE).build())) {
      assertThatThrownBy(() -> SecretGuard.check(REDACTOR.redact(own)))
          .isInstanceOf(StintException.class)
          .hasMessageNotContaining(SHAPE);
    }
  }
}
