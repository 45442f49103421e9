package dev.stint.config;

import java.util.Set;

/**
 * The {@code directory.*} keys: the SCIM token, the issuer whose people the directory's users are,
 * and the claim a user is matched by.
 */
final class DirectoryKeys {
  /**
   * Claims that do not name one person for good: a person may change them, the issuer may give them
   * to someone else, or they name a token, a tenant or an application rather than a person.
   * Matching a directory user by one of them would let the wrong person take the user.
   */
  private static final Set<String> NOT_A_PERSON =
      Set.of(
          "email",
          "email_verified",
          "preferred_username",
          "upn",
          "unique_name",
          "name",
          "given_name",
          "family_name",
          "nickname",
          "groups",
          "roles",
          "scp",
          "scope",
          "iss",
          "aud",
          "azp",
          "appid",
          "tid",
          "idp",
          "exp",
          "iat",
          "nbf",
          "jti",
          "nonce",
          "auth_time",
          "amr",
          "acr");

  private DirectoryKeys() {}

  /**
   * The bearer token an identity provider's SCIM client (Okta, Entra ID) sends to {@code /scim/v2};
   * unset, that path does not exist. A secret: never logged or shown.
   */
  static final ConfigKey SCIM_TOKEN =
      ConfigKey.scalar("directory.scim_token", "STINT_DIRECTORY_SCIM_TOKEN", null);

  /**
   * The policy's name for the issuer whose people the directory's users are (the name under {@code
   * issuers:}); unset, directory users are kept but matched to nobody.
   */
  static final ConfigKey ISSUER =
      ConfigKey.scalar("directory.issuer", "STINT_DIRECTORY_ISSUER", null);

  /**
   * The claim of the directory issuer's tokens that a SCIM user's {@code externalId} is compared
   * with to match the user to its person: {@code sub} by default (Okta's externalId is the Okta
   * user id, its tokens' sub); {@code oid} for Microsoft Entra ID, whose sub is pairwise (one per
   * application) and whose provisioning sends the object id once mapped to externalId.
   */
  static final ConfigKey MATCH_CLAIM =
      ConfigKey.scalar("directory.match_claim", "STINT_DIRECTORY_MATCH_CLAIM", "sub");

  static StintConfig.DirectoryConfig bind(KeyReader keys) {
    return new StintConfig.DirectoryConfig(
        keys.optional(SCIM_TOKEN, ActivityKeys::bearerToken),
        keys.optional(ISSUER, DirectoryKeys::issuerName),
        keys.scalar(MATCH_CLAIM, DirectoryKeys::matchClaim));
  }

  /**
   * A policy issuer's name as policy files spell them (lowercase letters, digits, '-', '_'); that a
   * policy names it is checked when the directory is wired, since policies reload.
   */
  static String issuerName(String s) {
    String t = s.strip();
    if (!t.matches("[a-z0-9][a-z0-9_-]{0,62}")) {
      throw new IllegalArgumentException(
          "must be the name of an issuer as the policy's issuers: spell it, such as corp");
    }
    return t;
  }

  /**
   * The claim a directory user's externalId is compared with: a plain claim name (no path, no
   * namespace URL), and one that names a person for good.
   */
  static String matchClaim(String s) {
    String t = s.strip();
    if (!t.matches("[A-Za-z_][A-Za-z0-9_]{0,63}")) {
      throw new IllegalArgumentException(
          "must be a plain claim name, letters, digits and _, such as sub (the default) or oid"
              + " (Entra ID)");
    }
    if (NOT_A_PERSON.contains(t)) {
      throw new IllegalArgumentException(
          "'"
              + t
              + "' does not name one person for good (a person may change it, or it names no"
              + " person): use sub, or oid for Entra ID");
    }
    return t;
  }
}
