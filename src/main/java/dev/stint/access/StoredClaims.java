package dev.stint.access;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.identity.Directory;
import dev.stint.identity.IssuerUse;
import dev.stint.identity.Principal;
import dev.stint.identity.Principals;
import dev.stint.policy.Policy;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A person's verified claims as stored between calls (people seen, Slack links, web sessions): the
 * issuer's policy name and URL and the claims, never a token. Read back, they count only under the
 * policy in force: the issuer must still be there, at the same URL and for people.
 */
public final class StoredClaims {
  private static final ObjectMapper JSON = new ObjectMapper();

  private StoredClaims() {}

  public static JsonObject of(Principal p) {
    return new JsonObject()
        .put("issuer", p.issuerName())
        .put("issuer_url", p.issuer())
        .put("claims", new JsonObject(new LinkedHashMap<>(p.claims())));
  }

  /**
   * The person these claims describe under {@code policy}, if its issuer still vouches for them, as
   * the {@code directory} has them now (its groups; nobody when it deprovisioned them).
   */
  public static Optional<Principal> principal(
      JsonObject stored, Policy policy, Directory directory) {
    return claimed(stored, policy).flatMap(directory::admit);
  }

  private static Optional<Principal> claimed(JsonObject stored, Policy policy) {
    return policy
        .issuer(stored.getString("issuer", ""))
        .filter(
            i ->
                i.issuerUrl().equals(stored.getString("issuer_url"))
                    && i.uses().contains(IssuerUse.PEOPLE))
        .map(
            i -> Principals.fromClaims(i, plain(stored.getJsonObject("claims", new JsonObject()))));
  }

  /**
   * As {@link #principal(JsonObject, Policy, Directory)}, only when the claims are those of the
   * person the row that stores them names ({@code issuer}, {@code subject}): a row's claims never
   * speak for someone else.
   */
  public static Optional<Principal> principal(
      JsonObject stored, String issuer, String subject, Policy policy, Directory directory) {
    return principal(stored, policy, directory)
        .filter(p -> p.issuer().equals(issuer) && p.subject().equals(subject));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> plain(JsonObject claims) {
    try {
      return JSON.readValue(claims.encode(), Map.class);
    } catch (IOException e) {
      throw new IllegalStateException("stored claims are JSON", e);
    }
  }
}
