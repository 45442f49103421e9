package dev.stint.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The claim a directory user's externalId names a person by, read from their verified claims. */
class MatchClaimTest {
  static Principal entra(Map<String, Object> claims) {
    return new Principal(
        "corp",
        "https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0",
        "AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ",
        Optional.of("pia@contoso.example"),
        List.of(),
        claims,
        Instant.MAX,
        Optional.empty());
  }

  @Test
  void subIsTheSubjectAndOidIsTheObjectIdNeverTheSubject() {
    Principal p = entra(Map.of("oid", "00000000-0000-0000-66f3-3332eca7ea81", "tid", "t"));
    assertThat(MatchClaim.SUB.of(p)).contains("AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ");
    assertThat(new MatchClaim("oid").of(p)).contains("00000000-0000-0000-66f3-3332eca7ea81");
  }

  @Test
  void aTokenWithoutTheClaimAsTextNamesNoOne() {
    MatchClaim oid = new MatchClaim("oid");
    assertThat(oid.of(entra(Map.of()))).isEmpty();
    assertThat(oid.of(entra(Map.of("oid", "  ")))).isEmpty();
    assertThat(oid.of(entra(Map.of("oid", 42L)))).isEmpty();
    assertThat(oid.of(entra(Map.of("oid", List.of("a", "b"))))).isEmpty();
  }
}
