package dev.stint.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The one https-or-loopback rule that the CLI, the login, the policy's issuers, the JWKS fetch and
 * the web sign-in share: plain http only to this machine, judged without DNS.
 */
class SecureUrlsTest {
  @ParameterizedTest
  @CsvSource({
    "https://login.example.com/tenant, true",
    "https://10.0.0.1:8443, true",
    "http://127.0.0.1:8080, true",
    "http://127.1.2.3:9, true",
    "http://localhost:9000/x, true",
    "http://LOCALHOST, true",
    "'http://[::1]:8080', true",
    "'http://[0:0:0:0:0:0:0:1]', true",
    "http://login.example.com, false",
    "http://10.0.0.1:8080, false",
    "http://0.0.0.0:8080, false",
    "'http://[::2]:8080', false",
    "http://127.0.0.1.nip.io, false",
    "http://localhost.example.com, false",
    "ftp://127.0.0.1, false",
    "https:opaque, false",
    "/relative/path, false"
  })
  void httpsAnywhereHttpOnlyToThisMachine(String url, boolean allowed) {
    assertThat(SecureUrls.httpsOrLoopback(URI.create(url))).as(url).isEqualTo(allowed);
    assertThat(SecureUrls.httpsOrLoopback(url)).as(url).isEqualTo(allowed);
  }

  @Test
  void textThatIsNotAUrlIsNotSecure() {
    assertThat(SecureUrls.httpsOrLoopback("http://exa mple.com")).isFalse();
    assertThat(SecureUrls.httpsOrLoopback("")).isFalse();
  }

  @ParameterizedTest
  @CsvSource({
    "localhost, true",
    "127.0.0.1, true",
    "::1, true",
    "[::1], true",
    "127.1, false",
    "localhost.localdomain, false",
    "beef, false",
    "10.0.0.1, false"
  })
  void loopbackHostsAreLiteralsOrLocalhost(String host, boolean loopback) {
    // "localhost.localdomain" may well resolve to 127.0.0.1; names other than localhost are never
    // looked up, and "127.1" is not a dotted quad.
    assertThat(SecureUrls.loopbackHost(host)).isEqualTo(loopback);
  }
}
