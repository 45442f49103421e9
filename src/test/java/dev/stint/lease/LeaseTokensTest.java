package dev.stint.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stint.common.Ids;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LeaseTokensTest {
  @Test
  void aTokenIsTheShapeItIsKnownByAndEachIsNew() {
    LeaseTokens tokens = new LeaseTokens();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String lease = new Ids().lease();
      String token = tokens.issue(lease);
      assertThat(LeaseTokens.looksLike(token)).as(token).isTrue();
      assertThat(LeaseTokens.leaseOf(token)).contains(lease);
      assertThat(seen.add(token)).isTrue();
    }
  }

  @Test
  void twoTokensOfOneLeaseShareNothingButItsId() {
    LeaseTokens tokens = new LeaseTokens();
    String lease = new Ids().lease();

    String one = tokens.issue(lease);
    String two = tokens.issue(lease);

    assertThat(one.substring(0, 29)).isEqualTo(two.substring(0, 29));
    assertThat(one.substring(29)).isNotEqualTo(two.substring(29));
    assertThat(one.substring(29)).isNotEqualTo("A".repeat(43));
  }

  @Test
  void aTokenIsIssuedOnlyForALeaseId() {
    assertThatThrownBy(() -> new LeaseTokens().issue("grt_abcdefghijklmnopqrstuvwx"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LeaseTokens().issue("lse_ABCDEFGHIJKLMNOPQRSTUVWX"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void whatIsNotALeaseTokenIsNotLookedUp() {
    String token = new LeaseTokens().issue(new Ids().lease());

    assertThat(LeaseTokens.looksLike(null)).isFalse();
    assertThat(LeaseTokens.looksLike("eyJhbGciOiJSUzI1NiJ9.e30.sig")).isFalse();
    assertThat(LeaseTokens.looksLike(token + "x")).isFalse();
    assertThat(LeaseTokens.looksLike(token.substring(0, token.length() - 1))).isFalse();
    assertThat(LeaseTokens.looksLike("stl_" + "=".repeat(43))).isFalse();
    assertThat(LeaseTokens.looksLike(" " + token)).isFalse();
    assertThat(LeaseTokens.looksLike(token.replace(".", "_"))).isFalse();
    assertThat(LeaseTokens.looksLike("stl_" + "a".repeat(23) + token.substring(28))).isFalse();
    assertThat(LeaseTokens.leaseOf(token + "x")).isEmpty();
    assertThat(LeaseTokens.leaseOf(null)).isEmpty();
  }

  @Test
  void aTokenIsKeptAsItsSha256() {
    assertThat(LeaseTokens.hash("stl_abc"))
        .isEqualTo("ba11385f9a0abfcea9244e401c2255c9aec95020dc5e15fcea6bdf1b8cac15a4");
    assertThat(LeaseTokens.hash("stl_abd")).isNotEqualTo(LeaseTokens.hash("stl_abc"));
  }
}
