package dev.stint.mint.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SessionNamesTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "jane.doe@example.com        | jane.doe@example.com",
        "jane+ops=1,x@example.com    | jane+ops=1,x@example.com",
        "Jane Doe                    | Jane-Doe",
        "user:1234/abc               | user-1234-abc",
        "josé@example.com            | jos-@example.com",
        "aws:admin                   | aws-admin",
        "x                           | x-",
        "'   '                       | stint-user",
        "''                          | stint-user",
        "日本                        | stint-user",
        "a_b-c                       | a_b-c",
      })
  void sanitizesToAwsSessionNameRules(String person, String expected) {
    assertThat(SessionNames.of(person)).isEqualTo(expected).matches("[\\w+=,.@-]{2,64}");
  }

  @Test
  void cutsAt64Characters() {
    String name = SessionNames.of("a".repeat(100) + "@example.com");

    assertThat(name).hasSize(64).isEqualTo("a".repeat(64));
  }

  @Test
  void sessionPolicyIsCompactAndWithinTheLimit() {
    String policy = SessionPolicies.denyAfter(Instant.parse("2026-11-23T10:15:30.789Z"));

    assertThat(policy)
        .doesNotContain(" ", "\n")
        .contains("\"aws:CurrentTime\":\"2026-11-23T10:15:30Z\"");
    assertThat(policy.length()).isLessThan(SessionPolicies.MAX_CHARS);
  }

  @ParameterizedTest
  @CsvSource({"g-1, g-1", "aws-prod-admin, aws-prod-admin", "a#b$c, a_b_c"})
  void tagValuesKeepOnlyAllowedCharacters(String value, String expected) {
    assertThat(TagValues.of(value)).isEqualTo(expected);
  }
}
