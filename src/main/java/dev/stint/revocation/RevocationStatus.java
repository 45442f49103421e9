package dev.stint.revocation;

import dev.stint.access.Grant;
import dev.stint.ledger.LedgerReach;
import dev.stint.ledger.RevocationReach;
import dev.stint.ledger.RevocationReach.Live;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * How far a revoked grant's revocation has come, as the API, the pages and the CLI show it: the
 * revocation's recorded progress once its delivery has started, and before that what the ledger
 * says it will have to end.
 */
public final class RevocationStatus {
  /**
   * One grant's revocation: {@code stage} as {@code revocation.live_credentials} names it, where
   * the credentials still valid were minted, and a sentence for people.
   */
  public record Status(
      Live stage,
      Optional<String> cloud,
      int credentials,
      List<String> roles,
      boolean widened,
      Optional<Instant> latestExpiry,
      String note) {}

  private final LedgerReach reaches;
  private final ProgressStore progress;

  public RevocationStatus(LedgerReach reaches, Pool pool) {
    this.reaches = reaches;
    this.progress = new ProgressStore(pool);
  }

  /** The status of revoked grant {@code grant}, read at {@code now}. */
  public Future<Status> of(Grant grant, Instant revokedAt, Instant now) {
    Future<RevocationReach> reach = reaches.of(grant.id(), grant.endsAt(), now);
    Future<Optional<Progress>> recorded = progress.of(grant.id());
    return Future.all(reach, recorded)
        .map(x -> status(reach.result(), recorded.result(), revokedAt));
  }

  /** What the reach said at the revoke, before any delivery recorded progress. */
  public static Status of(RevocationReach reach, Instant revokedAt) {
    return status(reach, Optional.empty(), revokedAt);
  }

  private static Status status(
      RevocationReach reach, Optional<Progress> recorded, Instant revokedAt) {
    if (recorded.isEmpty()) {
      return new Status(
          reach.live(),
          reach.cloud(),
          reach.credentials(),
          reach.roles(),
          false,
          reach.latestExpiry(),
          reach.note(revokedAt));
    }
    Progress p = recorded.get();
    return new Status(
        p.stage(),
        reach.cloud().or(p::cloud),
        p.credentials(),
        p.roles(),
        p.widened(),
        reach.latestExpiry(),
        note(p, reach, revokedAt));
  }

  private static String note(Progress p, RevocationReach reach, Instant revokedAt) {
    return switch (p.stage()) {
      case DENIED ->
          "AWS sessions issued on this grant are denied on "
              + p.roles().size()
              + " role(s) since "
              + p.updatedAt()
              + (p.widened()
                  ? " (widened: every stint session of a role issued before the"
                      + " revocation is denied there)"
                  : "")
              + ".";
      case FAILED ->
          "The deny could not be written ("
              + p.detail().orElse("unknown")
              + "): AWS"
              + " sessions issued on this grant keep working until it is; the outbox keeps trying"
              + " (stint admin outbox).";
      case UNTIL_DENY ->
          reach.note(revokedAt) + p.detail().map(d -> " Last attempt: " + d + ".").orElse("");
      default -> reach.note(revokedAt);
    };
  }
}
