package dev.stint.identity;

import java.util.Optional;

/**
 * The claim of the directory issuer's tokens that a directory user's {@code externalId} names its
 * person by ({@code directory.match_claim}): {@code sub} by default, as Okta's externalId is the
 * Okta user id and its tokens' sub; {@code oid} for Microsoft Entra ID, whose sub is pairwise (a
 * different one for each application) while the object id is the user's everywhere. It is only ever
 * read from verified claims, and only to match: the person stays (issuer, sub) everywhere else.
 */
public record MatchClaim(String name) {
  public static final MatchClaim SUB = new MatchClaim("sub");

  /**
   * The claim's value for {@code p}: a string, not blank. Empty when their token has no such claim
   * (or not as a string): such a person is matched to no user by externalId, never by another claim
   * instead.
   */
  public Optional<String> of(Principal p) {
    Object value = name.equals("sub") ? p.subject() : p.claims().get(name);
    return value instanceof String s && !s.isBlank() ? Optional.of(s) : Optional.empty();
  }

  @Override
  public String toString() {
    return name;
  }
}
