package dev.stint.mint.gcp;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * Where Google's APIs are and how long a mint may take. The endpoints come from {@code
 * gcp.iamcredentials_endpoint} and {@code gcp.sts_endpoint} (VPC Service Controls private
 * endpoints, tests); the timeout bounds every HTTP exchange of one mint together; {@code trust} is
 * the TLS trust for those endpoints, empty for the JDK's default trust store (a TLS-inspecting
 * proxy's CA, or a test's own certificate, go here rather than into JVM-wide settings).
 */
public record GcpSettings(
    URI iamCredentials, URI sts, Duration timeout, Optional<SSLContext> trust) {
  /** Google's public IAM Credentials API. */
  public static final URI DEFAULT_IAM_CREDENTIALS =
      URI.create("https://iamcredentials.googleapis.com");

  /** Google's public Security Token Service. */
  public static final URI DEFAULT_STS = URI.create("https://sts.googleapis.com");

  /**
   * Long enough for generateAccessToken and up to two slow STS exchanges (federation, then
   * downscoping), short enough for a CLI.
   */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

  public GcpSettings {
    Objects.requireNonNull(iamCredentials, "iamCredentials");
    Objects.requireNonNull(sts, "sts");
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive");
    }
    trust = trust == null ? Optional.empty() : trust;
  }

  /** The configured endpoints, Google's where none is configured. */
  public static GcpSettings of(Optional<URI> iamCredentials, Optional<URI> sts) {
    return new GcpSettings(
        iamCredentials.orElse(DEFAULT_IAM_CREDENTIALS),
        sts.orElse(DEFAULT_STS),
        DEFAULT_TIMEOUT,
        Optional.empty());
  }

  /** {@code POST} here mints a token for {@code serviceAccount}. */
  String generateAccessTokenUrl(String serviceAccount) {
    return base(iamCredentials)
        + "/v1/projects/-/serviceAccounts/"
        + serviceAccount
        + ":generateAccessToken";
  }

  /** The STS token-exchange endpoint. */
  String tokenExchangeUrl() {
    return base(sts) + "/v1/token";
  }

  private static String base(URI uri) {
    String s = uri.toString();
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}
