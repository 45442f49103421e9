package dev.stint.mint.aws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Source identities come from (issuer, subject) and the grant, never from an email. */
class SourceIdentitiesTest {
  @Test
  void oneValuePerPersonAndGrantWithinAwssCharacterSet() {
    String a = SourceIdentities.of("https://login.corp.example", "jane", "grt_abc");

    assertThat(a).matches(SourceIdentities.ALLOWED).endsWith(".grt_abc");
    assertThat(SourceIdentities.of("https://login.corp.example", "jane", "grt_abc")).isEqualTo(a);
    assertThat(SourceIdentities.of("https://login.corp.example", "jane", "grt_abd"))
        .isNotEqualTo(a)
        .startsWith(a.substring(0, a.indexOf('.') + 1));
    // The same subject at another issuer is another person.
    assertThat(SourceIdentities.of("https://partner.example", "jane", "grt_abc")).isNotEqualTo(a);
    assertThat(a).doesNotContain("jane").doesNotContain("corp");
  }

  @Test
  void oddOrLongGrantIdsStillMakeAValidValue() {
    assertThat(SourceIdentities.of("i", "s", "g/1 ü:x")).matches(SourceIdentities.ALLOWED);
    assertThat(SourceIdentities.of("i", "s", "g".repeat(200)))
        .matches(SourceIdentities.ALLOWED)
        .hasSize(64);
  }
}
