package dev.stint.mint.azure;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What names an Entra token: its uti and tid, read from a JWT's payload, or nothing. */
class EntraClaimsTest {
  static String jwt(String payload) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(UTF_8))
        + "."
        + b64.encodeToString(payload.getBytes(UTF_8))
        + ".c2ln";
  }

  @Test
  void aTokensUtiAndTenantAreRead() {
    assertThat(EntraClaims.of(jwt("{\"uti\":\"AbC-_12\",\"tid\":\"t-1\",\"aud\":\"x\"}")))
        .contains(new EntraClaims.Ids("AbC-_12", Optional.of("t-1")));
    assertThat(EntraClaims.of(jwt("{\"uti\":\"AbC\"}")))
        .contains(new EntraClaims.Ids("AbC", Optional.empty()));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "opaque-token",
        "a.b",
        "a..c",
        "a.!!!.c",
        "a.b.c.d",
      })
  void aTokenThatIsNotAJwtHasNothingToMatch(String token) {
    assertThat(EntraClaims.of(token)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"{}", "{\"uti\":7}", "{\"uti\":\"\"}", "[1]", "not json", "null"})
  void aPayloadWithoutAUtiHasNothingToMatch(String payload) {
    assertThat(EntraClaims.of(jwt(payload))).isEmpty();
  }
}
