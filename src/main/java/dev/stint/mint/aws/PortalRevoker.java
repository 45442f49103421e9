package dev.stint.mint.aws;

import dev.stint.error.ErrorCode;
import dev.stint.mint.MintException;
import dev.stint.mint.SessionRevoker.Cut;
import dev.stint.mint.SessionRevoker.Ended;
import dev.stint.mint.SessionRevoker.Records;
import dev.stint.mint.SessionRevoker.UserCutoff;
import dev.stint.mint.SessionRevoker.Widened;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Ends revoked IAM Identity Center grants' portal sessions in one member account: renders every
 * user cutoff recorded for the account's policy ({@link PortalPolicy}) still in force, expired ones
 * left out, in the first {@link PortalPolicy.Tier} that fits IAM's limit for a managed policy, and
 * writes it ({@link PortalRevocations}). A role-wide deny is reported as widened, so the revocation
 * records it and raises the alarm; when not even that fits, the revocation fails for an operator.
 */
final class PortalRevoker {
  private final Vertx vertx;
  private final PortalRevocations iam;
  private final Clock clock;

  PortalRevoker(Vertx vertx, PortalRevocations iam, Clock clock) {
    this.vertx = vertx;
    this.iam = iam;
    this.clock = clock;
  }

  Future<Ended> end(String policyArn, Records records) {
    Instant now = clock.instant();
    return records
        .userCutoffs(policyArn, now)
        .compose(
            cutoffs -> {
              for (PortalPolicy.Tier tier : PortalPolicy.Tier.values()) {
                String document = PortalPolicy.render(cutoffs, tier);
                if (RevocationPolicy.characters(document) <= RevocationPolicy.MAX_MANAGED_CHARS) {
                  Optional<Widened> widened =
                      tier == PortalPolicy.Tier.ROLE_WIDE
                          ? Optional.of(widened(policyArn, cutoffs))
                          : Optional.empty();
                  return Future.fromCompletionStage(
                          iam.write(policyArn, document), vertx.getOrCreateContext())
                      .compose(x -> records.confirmEnded(policyArn, clock.instant()))
                      .map(x -> new Ended(policyArn, widened));
                }
              }
              return Future.failedFuture(
                  new MintException(
                      ErrorCode.INTERNAL,
                      "could not write the AWS portal revocation denies to "
                          + policyArn
                          + ": even one statement per role ("
                          + PortalPolicy.byRole(cutoffs).size()
                          + " roles) does not fit IAM's limit for a managed policy",
                      false,
                      null));
            });
  }

  /** Every session of each role issued before its latest cutoff, until the last one ends. */
  private static Widened widened(String policyArn, List<UserCutoff> cutoffs) {
    Instant latest =
        cutoffs.stream().map(UserCutoff::issuedBefore).max(Instant::compareTo).orElseThrow();
    Instant until = cutoffs.stream().map(UserCutoff::until).max(Instant::compareTo).orElseThrow();
    return new Widened(
        policyArn,
        latest,
        until,
        new Cut(0, List.of()),
        false,
        "the portal revocation policy's denies one user at a time would pass IAM's size limit:"
            + " every portal session of "
            + PortalPolicy.byRole(cutoffs).size()
            + " permission set roles issued before their latest revoke is denied");
  }
}
