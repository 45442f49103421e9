package dev.stint.mint.azure;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.identity.ClientAssertionCredential;
import com.azure.identity.ClientAssertionCredentialBuilder;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * How stint asks Entra for a token as an app that trusts stint's issuer: azure-identity's {@link
 * ClientAssertionCredential} over the JDK's HTTP client, the authority host as configured. Shared
 * by the minter (a profile's app) and the Activity Log reader (stint's own reader app).
 *
 * <p>Instance discovery is off: the authority host is configured, not discovered, and a sovereign
 * cloud or a test fake must not be checked against the public cloud's list. The HTTP client is the
 * JDK's ({@code azure-core-http-jdk-httpclient}) rather than azure-core's default Netty client,
 * which would pull a second Netty stack with native TLS and QUIC next to Vert.x's.
 */
final class EntraCredentials {
  private EntraCredentials() {}

  /** The HTTP client for Entra, with the settings' trust and timeouts. */
  static HttpClient http(AzureSettings settings) {
    // qualified: com.azure.core.http.HttpClient is imported too
    java.net.http.HttpClient.Builder jdk = java.net.http.HttpClient.newBuilder();
    settings.trust().ifPresent(jdk::sslContext);
    return new JdkHttpClientBuilder(jdk)
        .connectionTimeout(settings.timeout())
        .responseTimeout(settings.timeout())
        .readTimeout(settings.timeout())
        .build();
  }

  /**
   * A credential for {@code clientId} in {@code tenantId}, presenting what {@code assertion} signs;
   * it caches the tokens it gets, so a fresh one per token keeps tokens apart.
   */
  static ClientAssertionCredential credential(
      AzureSettings settings, HttpClient http, EntraApp app, Supplier<String> assertion) {
    return new ClientAssertionCredentialBuilder()
        .tenantId(app.tenantId())
        .clientId(app.clientId())
        .clientAssertion(assertion)
        .authorityHost(settings.authorityHost().toString())
        .disableInstanceDiscovery()
        .httpClient(http)
        // MSAL sets Content-Length itself; the JDK client computes it and would log a warning
        // about the restricted header on every token request.
        .addPolicy(
            (context, next) -> {
              context.getHttpRequest().getHeaders().remove(HttpHeaderName.CONTENT_LENGTH);
              return next.process();
            })
        .retryOptions(
            new RetryOptions(
                new ExponentialBackoffOptions()
                    .setMaxRetries(settings.retries())
                    .setBaseDelay(Duration.ofMillis(200))
                    .setMaxDelay(Duration.ofSeconds(2))))
        .build();
  }

  /** An app registration: its tenant and client id. */
  record EntraApp(String tenantId, String clientId) {}
}
