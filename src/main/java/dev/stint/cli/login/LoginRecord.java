package dev.stint.cli.login;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.cli.CliException;
import java.time.Instant;
import java.util.Optional;

/**
 * What {@code login.json} holds: the tokens of one login and where to refresh and revoke them.
 * {@code expires_at} is the ID token's expiry (the ID token is what stint is sent). Tokens are
 * secrets: {@link #toString()} leaves them out.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record LoginRecord(
    @JsonProperty("issuer") String issuer,
    @JsonProperty("client_id") String clientId,
    @JsonProperty("token_endpoint") String tokenEndpoint,
    @JsonProperty("revocation_endpoint") String revocationEndpoint,
    @JsonProperty("id_token") String idToken,
    @JsonProperty("access_token") String accessToken,
    @JsonProperty("refresh_token") String refreshToken,
    @JsonProperty("expires_at") Instant expiresAt) {

  /**
   * The login a token endpoint answer makes. {@code previous} supplies the refresh token when a
   * refresh answer does not rotate it; {@code nonce} is checked when the flow sent one.
   */
  static LoginRecord fromTokenAnswer(
      JsonNode answer,
      Provider provider,
      String clientId,
      Optional<LoginRecord> previous,
      Optional<String> nonce) {
    String raw = answer.path("id_token").asText("");
    if (raw.isEmpty()) {
      throw new CliException(
          CliException.FAILED,
          "the identity provider returned no ID token"
              + " (is the 'openid' scope allowed for client "
              + clientId
              + "?)");
    }
    IdToken id = IdToken.decode(raw).verify(provider.issuer().toString(), clientId, nonce);
    previous.ifPresent(p -> requireSameSubject(p, id));
    String refresh =
        answer.path("refresh_token").asText(previous.map(LoginRecord::refreshToken).orElse(null));
    return new LoginRecord(
        provider.issuer().toString(),
        clientId,
        provider.tokenEndpoint().toString(),
        provider.revocationEndpoint().map(Object::toString).orElse(null),
        raw,
        answer.path("access_token").asText(null),
        refresh,
        id.expiresAt());
  }

  Optional<String> refresh() {
    return Optional.ofNullable(refreshToken).filter(s -> !s.isBlank());
  }

  private static void requireSameSubject(LoginRecord previous, IdToken refreshed) {
    String before = IdToken.decode(previous.idToken()).subject();
    if (!before.equals(refreshed.subject())) {
      throw new CliException(
          CliException.FAILED,
          "the refreshed ID token names a different subject: run 'stint login'");
    }
  }

  @Override
  public String toString() {
    return "LoginRecord[issuer="
        + issuer
        + ", client_id="
        + clientId
        + ", expires_at="
        + expiresAt
        + "]";
  }
}
