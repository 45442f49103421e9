package dev.stint.mint.azure;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * Where Entra is and how long a mint may take. {@code authorityHost} comes from {@code
 * azure.authority_host} (sovereign clouds such as {@code https://login.microsoftonline.us}, tests);
 * azure-identity requires https. {@code retries} is how often a throttled or failed (429/5xx) token
 * request is repeated, with exponential back-off, inside {@code timeout}; {@code trust} is the TLS
 * trust for the authority, empty for the JDK's default trust store.
 */
public record AzureSettings(
    URI authorityHost, Duration timeout, int retries, Optional<SSLContext> trust) {
  /** The public Azure cloud. */
  public static final URI DEFAULT_AUTHORITY_HOST = URI.create("https://login.microsoftonline.com");

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);
  public static final int DEFAULT_RETRIES = 1;

  public AzureSettings {
    if (authorityHost == null || !"https".equals(authorityHost.getScheme())) {
      throw new IllegalArgumentException(
          "azure.authority_host must be an https URL, got " + authorityHost);
    }
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive");
    }
    if (retries < 0 || retries > 5) {
      throw new IllegalArgumentException("retries must be between 0 and 5");
    }
    trust = trust == null ? Optional.empty() : trust;
  }

  /** The configured authority host, Entra's public one where none is configured. */
  public static AzureSettings of(Optional<URI> authorityHost) {
    return new AzureSettings(
        authorityHost.orElse(DEFAULT_AUTHORITY_HOST),
        DEFAULT_TIMEOUT,
        DEFAULT_RETRIES,
        Optional.empty());
  }
}
