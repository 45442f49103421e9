package dev.stint.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Which address is the caller's: the peer unless the peer is a trusted proxy, then the nearest
 * X-Forwarded-For hop that is not one; nothing the caller writes to the left is believed.
 */
class ClientAddressesTest {
  private static final ClientAddresses NONE = new ClientAddresses(List.of());
  private static final ClientAddresses LB = new ClientAddresses(List.of("10.0.0.0/8", "fd00::/8"));

  private static Optional<String> of(ClientAddresses a, String peer, String... headers) {
    return a.resolve(Optional.of(peer), List.of(headers));
  }

  @Test
  void withoutTrustedProxiesTheHeaderIsIgnored() {
    assertThat(of(NONE, "198.51.100.4", "10.1.2.3")).contains("198.51.100.4");
  }

  @Test
  void anUntrustedPeerCannotClaimAnotherAddress() {
    assertThat(of(LB, "198.51.100.4", "10.1.2.3")).contains("198.51.100.4");
    assertThat(of(LB, "198.51.100.4")).contains("198.51.100.4");
  }

  @Test
  void behindATrustedProxyTheHopItAddedIsTheCaller() {
    assertThat(of(LB, "10.0.0.5", "203.0.113.7")).contains("203.0.113.7");
    // Two trusted hops: the first untrusted one from the right.
    assertThat(of(LB, "10.0.0.5", "203.0.113.7, 10.0.0.9")).contains("203.0.113.7");
    assertThat(of(LB, "10.0.0.5", "203.0.113.7", "10.0.0.9")).contains("203.0.113.7");
  }

  @Test
  void whatTheCallerWroteToTheLeftIsNeverBelieved() {
    // The caller sent "X-Forwarded-For: 10.9.9.9" hoping to look internal; the proxy appended
    // the real address.
    assertThat(of(LB, "10.0.0.5", "10.9.9.9, 203.0.113.7")).contains("203.0.113.7");
    assertThat(of(LB, "10.0.0.5", "not-an-address, 203.0.113.7")).contains("203.0.113.7");
  }

  @Test
  void portsAndIpv6AreUnderstood() {
    assertThat(of(LB, "10.0.0.5", "203.0.113.7:51234")).contains("203.0.113.7");
    assertThat(of(LB, "10.0.0.5", "[2001:db8::1]:443")).contains("2001:db8:0:0:0:0:0:1");
    assertThat(of(LB, "fd00::1", "2001:db8::1")).contains("2001:db8:0:0:0:0:0:1");
  }

  @Test
  void anUnreadableHopFromATrustedProxyMakesTheCallerUnknown() {
    assertThat(of(LB, "10.0.0.5", "unknown")).isEmpty();
    assertThat(of(LB, "10.0.0.5", "203.0.113.7, ")).isEmpty();
    assertThat(of(LB, "10.0.0.5", "_hidden")).isEmpty();
    // Names are never resolved.
    assertThat(of(LB, "10.0.0.5", "localhost")).isEmpty();
    assertThat(of(LB, "10.0.0.5", "beef")).isEmpty();
    assertThat(of(LB, "10.0.0.5", "1234")).isEmpty();
  }

  @Test
  void onlyTrustedHopsGiveTheFarthestOne() {
    assertThat(of(LB, "10.0.0.5", "10.0.0.7, 10.0.0.6")).contains("10.0.0.7");
    assertThat(of(LB, "10.0.0.5")).contains("10.0.0.5");
  }
}
