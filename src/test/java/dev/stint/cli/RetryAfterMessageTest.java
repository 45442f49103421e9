package dev.stint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * {@code stint revoke} slowed with 429 says when to try again, clearly, and that nothing changed.
 */
class RetryAfterMessageTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aPacedRevokeSaysWhenToTryAgain() throws Exception {
    CliException e =
        ApiClient.problem(
            429,
            JSON.readTree(
                "{\"code\":\"revocations_paced\",\"detail\":\"you have 100 revoked grants\","
                    + "\"retry_after_seconds\":3540,\"request_id\":\"r1\"}"));

    assertThat(e.getMessage())
        .startsWith("you have 100 revoked grants (revocations_paced, trace r1)")
        .contains("try again in 59m 0s (Retry-After: 3540 seconds); nothing was changed");
  }

  @Test
  void anAnswerWithoutRetryAfterSaysNothingOfIt() throws Exception {
    CliException e = ApiClient.problem(403, JSON.readTree("{\"code\":\"forbidden\"}"));

    assertThat(e.getMessage()).doesNotContain("try again");
  }
}
