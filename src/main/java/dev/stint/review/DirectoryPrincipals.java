package dev.stint.review;

import dev.stint.directory.ActiveUsers;
import dev.stint.identity.Directory;
import dev.stint.identity.MatchClaim;
import dev.stint.identity.Principal;
import dev.stint.people.StoredClaims;
import dev.stint.policy.IssuerConfig;
import dev.stint.policy.Policy;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The principal a decision would see for one of the directory's active users, for judging who is
 * eligible ahead of any request (the eligibility report and access reviews): the matched person's
 * stored claims, when their issuer still vouches for them, with the directory's groups in place of
 * the token's ({@link Basis#CLAIMS}); else the directory's own record under {@code
 * directory.issuer} ({@link Basis#DIRECTORY}).
 */
public final class DirectoryPrincipals {
  /** How a user was judged: from a person's verified claims, or from the directory alone. */
  public enum Basis {
    CLAIMS,
    DIRECTORY;

    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** A user's principal and how it was made. */
  public record Judged(Basis basis, Principal principal) {}

  private final Optional<String> directoryIssuer;
  private final MatchClaim matchClaim;

  /**
   * {@code directoryIssuer}: the policy's name of {@code directory.issuer}, when it is set; {@code
   * matchClaim}: the claim a user's externalId holds the value of ({@code directory.match_claim}).
   */
  public DirectoryPrincipals(Optional<String> directoryIssuer, MatchClaim matchClaim) {
    this.directoryIssuer = directoryIssuer;
    this.matchClaim = matchClaim;
  }

  /** {@code u}'s principal under {@code p}. */
  public Judged of(Policy p, ActiveUsers.User u) {
    Optional<Principal> seen =
        u.match()
            .flatMap(
                m ->
                    u.stored()
                        .flatMap(
                            s ->
                                StoredClaims.principal(
                                    s, m.issuer(), m.subject(), p::issuer, Directory.NONE)));
    if (seen.isPresent()) {
      return new Judged(Basis.CLAIMS, seen.get().withDirectoryGroups(u.groups()));
    }
    Optional<IssuerConfig> issuer = directoryIssuer.flatMap(p::issuer);
    // externalId is the value of the match claim: the sub itself, or (Entra ID's oid) a claim of
    // its own, beside the sub of the person matched if any.
    String externalId = u.externalId().orElse("");
    boolean bySub = matchClaim.name().equals("sub");
    String subject = bySub ? externalId : u.match().map(ActiveUsers.Match::subject).orElse("");
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("sub", subject);
    if (!bySub && !externalId.isEmpty()) {
      claims.put(matchClaim.name(), externalId);
    }
    u.email().ifPresent(e -> claims.put("email", e));
    claims.put("groups", u.groups());
    return new Judged(
        Basis.DIRECTORY,
        new Principal(
            issuer.map(IssuerConfig::name).orElse(""),
            issuer.map(IssuerConfig::issuerUrl).orElse(""),
            subject,
            u.email(),
            u.groups(),
            claims,
            Instant.MAX,
            Optional.empty()));
  }
}
