package dev.stint.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.ledger.LedgerCredential;
import dev.stint.ledger.LedgerEntry;
import dev.stint.mint.Receipt;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A ledger row as {@code GET /v1/requests/{id}/credentials} shows it: no secret, its names. */
class IssuedRoutesTest {
  static final Instant NOW = Instant.parse("2026-11-27T05:00:00Z");

  static JsonObject shown(Receipt receipt) {
    LedgerEntry entry =
        new LedgerEntry(
            "crd_1",
            new LedgerEntry.Basis(Optional.of("grt_1"), Optional.of("req_1"), Optional.empty()),
            new LedgerEntry.Holder("https://idp.example.com", "alice"),
            "azure-prod",
            receipt);
    return IssuedRoutes.of(
        new LedgerCredential(entry, NOW, LedgerCredential.Stored.LIVE, Optional.empty()), NOW);
  }

  @Test
  void anEntraTokenIsNamedByItsFingerprintAndItsUti() {
    Receipt token =
        Receipt.token("azure", "app a in tenant t for s", "eyJ.secret.sig", NOW.plusSeconds(3600))
            .withTokenId(new Receipt.TokenId("AbCuti", Optional.of("tenant-1"), true));
    JsonObject json = shown(token);
    assertThat(json.getString("token_id")).isEqualTo("AbCuti");
    assertThat(json.getString("fingerprint")).hasSize(Receipt.FINGERPRINT_HEX);
    assertThat(json.getString("access_key_id")).isNull();
    assertThat(json.encode()).doesNotContain("eyJ.secret.sig");
  }

  @Test
  void aTokenWithoutAnIdentifierOfItsOwnHasNone() {
    JsonObject json = shown(Receipt.token("gcp", "sa", "ya29.secret", NOW.plusSeconds(3600)));
    assertThat(json.containsKey("token_id")).isTrue();
    assertThat(json.getString("token_id")).isNull();
  }
}
