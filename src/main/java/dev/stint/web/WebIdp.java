package dev.stint.web;

import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.identity.TokenVerifier;
import dev.stint.policy.PolicyInForce;

/**
 * The identity provider the pages sign people in with: the one the policy in force names under
 * {@code web:}, the client that talks to it (discovery, the code exchange), and the verifier of the
 * ID tokens it returns.
 */
record WebIdp(PolicyInForce policies, OidcClient client, TokenVerifier verifier) {

  /** The web issuer of the policy in force; unavailable when the policy has no {@code web:}. */
  WebIssuer issuer() {
    return WebIssuer.of(policies.current())
        .orElseThrow(
            () ->
                new StintException(
                    ErrorCode.UNAVAILABLE,
                    "web sign-in is not set up: the policies have no 'web:' block"));
  }
}
