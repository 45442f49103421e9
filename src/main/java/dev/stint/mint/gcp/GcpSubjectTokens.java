package dev.stint.mint.gcp;

import java.util.Map;

/**
 * Signs the JWT stint presents to Google STS in workload identity mode, as stint's own OIDC issuer
 * (keys published at {@code /.well-known/jwks.json}). Implemented by the signing-key component;
 * blocking is fine (it runs on the minting executor).
 */
@FunctionalInterface
public interface GcpSubjectTokens {
  /**
   * A signed compact JWT.
   *
   * @param audience the workload identity provider's resource name, {@code
   *     //iam.googleapis.com/projects/N/locations/global/workloadIdentityPools/P/providers/X}
   *     (Google's default accepted audience when the provider lists none)
   * @param subject {@code profile:NAME}, what the provider maps to {@code google.subject}
   * @param claims extra claims ({@code grant_id}, {@code person}, {@code profile})
   */
  String token(String audience, String subject, Map<String, Object> claims);
}
