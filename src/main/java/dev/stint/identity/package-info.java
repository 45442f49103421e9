/**
 * Who a caller is: OIDC discovery, the JWKS cache, token verification to a {@code Principal}, and
 * {@code Person} (issuer, subject, email), the one type for a person.
 *
 * <p>Issuers are known through {@code TrustedIssuer}; what the fetches of each issuer's keys came
 * to ({@code IssuerReach}), and whether that lets anyone sign in ({@code IssuerReadiness}, which
 * {@code /readyz} reads without fetching); issuer URLs that are placeholders ({@code
 * PlaceholderIssuers}).
 *
 * <p>The {@code Directory} port: what the organisation's directory says of a person, their groups
 * or that they left. How a person is matched by email ({@code Emails}: ASCII case only) and by the
 * claim a directory names them by ({@code MatchClaim}).
 */
package dev.stint.identity;
