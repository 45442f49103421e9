package dev.stint.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class CursorSealTest {
  private static final String CURSOR = "req:1764100000000000:req_abcdefghijklmnopqrstuvwx";

  private static byte[] key(int fill) {
    byte[] k = new byte[32];
    Arrays.fill(k, (byte) fill);
    return k;
  }

  @Test
  void aSealedCursorOpensToWhatWasSealedOnAnyServerWithTheSameKey() {
    String sealed = new CursorSeal(key(1)).seal(CURSOR);
    assertThat(new CursorSeal(key(1)).open(sealed)).isEqualTo(CURSOR);
  }

  @Test
  void aSealedCursorShowsNothingOfThePositionItNames() {
    CursorSeal seal = new CursorSeal(key(1));
    String sealed = seal.seal(CURSOR);
    String bytes = new String(Base64.getUrlDecoder().decode(sealed), StandardCharsets.ISO_8859_1);
    assertThat(sealed + bytes)
        .doesNotContain("req_abc")
        .doesNotContain("1764100000")
        .doesNotContain("req:");
    assertThat(seal.seal(CURSOR)).as("a fresh nonce each time").isNotEqualTo(sealed);
  }

  @Test
  void anAlteredForgedOrForeignCursorIsRefusedWithoutEchoingIt() {
    CursorSeal seal = new CursorSeal(key(1));
    String sealed = seal.seal(CURSOR);
    byte[] raw = Base64.getUrlDecoder().decode(sealed);
    raw[raw.length - 1] ^= 1;
    String altered = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    String plain =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(CURSOR.getBytes(StandardCharsets.UTF_8));
    String foreign = new CursorSeal(key(2)).seal(CURSOR);
    for (String bad : new String[] {altered, plain, foreign, "not base64 at all!", "", "AAAA"}) {
      assertThatThrownBy(() -> seal.open(bad))
          .as(bad)
          .isInstanceOfSatisfying(
              StintException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
                assertThat(e.detail()).isEqualTo("cursor is not one this server handed out");
              });
    }
  }

  @Test
  void aKeyOfAnyOtherLengthIsRefused() {
    assertThatThrownBy(() -> new CursorSeal(new byte[16]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
