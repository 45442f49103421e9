package dev.stint.notify.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The WebSocket addresses Socket Mode will use: TLS, or plain only to this machine. A plain address
 * elsewhere would let anyone on the path send clicks; the refusal never repeats the address, whose
 * query carries the connection's ticket.
 */
class SlackSocketAddressTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "wss://wss-primary.slack.com/link/?ticket=t1&app_id=A1",
        "ws://127.0.0.1:4321/link/?ticket=t1",
        "ws://localhost:4321/link/?ticket=t1",
        "ws://[::1]:4321/link/?ticket=t1"
      })
  void tlsOrLoopbackIsUsed(String url) throws Exception {
    assertThat(SlackSocket.address(url)).isEqualTo(URI.create(url));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ws://wss-primary.slack.com/link/?ticket=secret-ticket",
        "https://wss-primary.slack.com/link/?ticket=secret-ticket",
        "http://127.0.0.1/link/?ticket=secret-ticket",
        "wss:///link/?ticket=secret-ticket",
        "ws://10.0.0.7/link/?ticket=secret-ticket",
        "not a url ?ticket=secret-ticket",
        ""
      })
  void anythingElseIsRefusedWithoutRepeatingIt(String url) {
    assertThatThrownBy(() -> SlackSocket.address(url))
        .isInstanceOf(SocketRefusal.class)
        .hasMessageNotContaining("secret-ticket");
  }
}
