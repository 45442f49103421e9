package dev.stint.issuance;

import dev.stint.access.Caller;
import dev.stint.access.Grant;
import dev.stint.access.Grants;
import dev.stint.error.StintException;
import dev.stint.identity.Person;
import dev.stint.ledger.CredentialState;
import dev.stint.ledger.Ledger;
import dev.stint.ledger.LedgerCredential;
import dev.stint.ledger.LedgerEntry;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether a credential the CLI cached may still be served: the answer {@code POST /v1/credentials}
 * would give now, without minting. A laptop's cache otherwise outlives what happened to its grant
 * (a revoke from a page, Slack or {@code end_when}, a deprovisioning, a newer grant for the
 * profile), and every AWS tool would go on being handed the old keys.
 *
 * <p>It is served while its ledger row is live, no widened deny has cut it, and its grant is the
 * one issuance would mint on now (the caller's active grant for the profile with the latest end);
 * anything else sends the CLI back to {@code POST /v1/credentials}. Only the credential's holder is
 * answered: for anyone else it does not exist.
 */
public final class CachedCredentialCheck {
  /** Why a cached credential may not be served, or {@code SERVE}. */
  public enum Verdict {
    SERVE,
    /** Its row is past its expiry. */
    EXPIRED,
    /** Its grant was revoked: the ledger marked it revoked. */
    REVOKED,
    /** Minted, never handed out. */
    WITHHELD,
    /** Its grant is no longer active (ended, revoked, its holder deprovisioned). */
    GRANT_ENDED,
    /** Another grant for the profile is the one issuance would use now. */
    NEWER_GRANT,
    /**
     * A widened deny (a role-wide cutoff, or one of a person's own) denies its session while its
     * grant stands: a fresh one, issued after the cutoff, works.
     */
    CUT;

    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The verdict, and the grant the credential was issued on, when one was. */
  public record Answer(Verdict verdict, Optional<String> grantId, String profile) {}

  private final Grants grants;
  private final Ledger ledger;
  private final Clock clock;

  public CachedCredentialCheck(Grants grants, Ledger ledger, Clock clock) {
    this.grants = grants;
    this.ledger = ledger;
    this.clock = clock;
  }

  /** The verdict on {@code credentialId} for {@code caller}; {@code not_found} if not theirs. */
  public Future<Answer> check(Caller caller, String credentialId) {
    return ledger
        .one(credentialId)
        .compose(
            found -> {
              LedgerCredential c =
                  found
                      .filter(r -> heldBy(r.entry(), caller))
                      .orElseThrow(CachedCredentialCheck::unknown);
              LedgerEntry e = c.entry();
              CredentialState state = c.stateAt(clock.instant());
              if (state != CredentialState.LIVE) {
                return Future.succeededFuture(
                    new Answer(Verdict.valueOf(state.name()), e.basis().grantId(), e.profile()));
              }
              if (c.cut().isPresent()) {
                return Future.succeededFuture(
                    new Answer(Verdict.CUT, e.basis().grantId(), e.profile()));
              }
              if (e.basis().grantId().isEmpty()) {
                return Future.succeededFuture(
                    new Answer(Verdict.SERVE, Optional.empty(), e.profile()));
              }
              String grant = e.basis().grantId().get();
              return grants
                  .activeGrant(caller, e.profile(), e.narrowing().values())
                  .map(
                      active ->
                          new Answer(verdict(grant, active), Optional.of(grant), e.profile()));
            });
  }

  private static Verdict verdict(String grant, Optional<Grant> active) {
    if (active.isEmpty()) {
      return Verdict.GRANT_ENDED;
    }
    return active.get().id().equals(grant) ? Verdict.SERVE : Verdict.NEWER_GRANT;
  }

  private static boolean heldBy(LedgerEntry e, Caller caller) {
    return caller
        .person()
        .is(new Person(e.holder().issuer(), e.holder().subject(), Optional.empty()));
  }

  private static StintException unknown() {
    return StintException.notFound("no such credential");
  }
}
