package dev.stint.mint.azure;

import java.util.Map;

/**
 * Signs the client assertion stint presents to Entra for an app with a federated identity
 * credential, as stint's own OIDC issuer (keys published at {@code /.well-known/jwks.json}).
 * Implemented by the signing-key component; blocking is fine (it runs on the minting executor).
 */
@FunctionalInterface
public interface AzureAssertions {
  /**
   * A signed compact JWT.
   *
   * @param audience {@code api://AzureADTokenExchange}, what federated credentials expect
   * @param subject {@code profile:NAME}, the federated credential's subject
   * @param claims extra claims ({@code grant_id}, {@code person}, {@code profile})
   */
  String assertion(String audience, String subject, Map<String, Object> claims);
}
