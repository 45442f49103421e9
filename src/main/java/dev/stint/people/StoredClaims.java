package dev.stint.people;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.identity.Directory;
import dev.stint.identity.IssuerUse;
import dev.stint.identity.Principal;
import dev.stint.identity.Principals;
import dev.stint.identity.TrustedIssuer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A person's verified claims as stored between calls (people seen, Slack links, web sessions): the
 * issuer's policy name and URL and the claims, never a token. Read back, they count only under the
 * policy in force: the issuer must still be there, at the same URL and for people. Callers hand in
 * the issuers the policy in force trusts, by name ({@code Policy::issuer}), so that people stays
 * below the policy.
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
   * The person these claims describe under the policy whose trusted issuers are {@code issuers}, if
   * their issuer still vouches for them, as the {@code directory} has them now (its groups; nobody
   * when it deprovisioned them).
   */
  public static Optional<Principal> principal(
      JsonObject stored, Issuers issuers, Directory directory) {
    return claimed(stored, issuers).flatMap(directory::admit);
  }

  /** The issuers a policy trusts, by their name in it: {@code Policy::issuer}. */
  @FunctionalInterface
  public interface Issuers extends Function<String, Optional<? extends TrustedIssuer>> {}

  private static Optional<Principal> claimed(JsonObject stored, Issuers issuers) {
    return issuers
        .apply(stored.getString("issuer", ""))
        .filter(
            i ->
                i.issuerUrl().equals(stored.getString("issuer_url"))
                    && i.uses().contains(IssuerUse.PEOPLE))
        .map(
            i -> Principals.fromClaims(i, plain(stored.getJsonObject("claims", new JsonObject()))));
  }

  /**
   * As {@link #principal(JsonObject, Issuers, Directory)}, only when the claims are those of the
   * person the row that stores them names ({@code issuer}, {@code subject}): a row's claims never
   * speak for someone else.
   */
  public static Optional<Principal> principal(
      JsonObject stored, String issuer, String subject, Issuers issuers, Directory directory) {
    return principal(stored, issuers, directory)
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
