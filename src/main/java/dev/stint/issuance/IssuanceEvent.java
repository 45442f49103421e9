package dev.stint.issuance;

import dev.stint.access.Caller;
import dev.stint.access.Grant;
import dev.stint.access.NewRequest.Narrowed;
import dev.stint.audit.AuditEvent;
import dev.stint.audit.AuditLog;
import dev.stint.common.FilledDocument;
import dev.stint.common.Ids;
import dev.stint.db.Reachability;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.ledger.Ledger;
import dev.stint.ledger.LedgerEntry;
import dev.stint.ledger.LedgerRows;
import dev.stint.mint.Credential;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit events of one issuance, filled in as the request goes: who asked for what, then the
 * basis, and at the end either {@code credential.issued} with what was made (never the secret) and
 * its ledger row, or {@code credential.denied} with why. A credential recorded and then found on a
 * grant revoked meanwhile gets {@code credential.withheld}. Each is committed before the caller
 * learns the outcome.
 */
final class IssuanceEvent {
  private static final Logger LOG = LoggerFactory.getLogger(IssuanceEvent.class);

  private final AuditLog audit;
  private final Caller caller;
  private final String profile;
  private Optional<Basis> basis = Optional.empty();
  private Optional<String> target = Optional.empty();

  IssuanceEvent(AuditLog audit, Caller caller, String profile) {
    this.audit = audit;
    this.caller = caller;
    this.profile = profile;
  }

  void basis(Basis established) {
    basis = Optional.of(established);
  }

  void target(String described) {
    target = Optional.of(described);
  }

  /** A credential with the ledger id it was recorded under. */
  record Recorded(String credentialId, Credential credential) {}

  /**
   * Commits {@code credential.issued} together with the credential's ledger row; the future
   * succeeds only once both are committed.
   */
  Future<Recorded> issued(Credential credential, Ids ids) {
    Basis on = basis.orElseThrow();
    LedgerEntry entry =
        new LedgerEntry(
            ids.credential(),
            ledgerBasis(on),
            new LedgerEntry.Holder(on.holder(caller).issuer(), on.holder(caller).subject()),
            profile,
            credential.receipt(),
            narrowing(on.narrowed()));
    AuditEvent.Builder event =
        event("credential.issued")
            .cloud(credential.cloud())
            .outcome("ok")
            .reason(on.reason())
            .detail("credential_id", entry.id())
            .detail("credential", credential.auditFacts())
            .detail("valid_until", on.endsAt().toString());
    if (on.narrowed().isNarrowed()) {
      event.detail("parameters", on.narrowed().values().values());
      on.narrowed().policy().ifPresent(p -> event.detail("narrowed_policy_sha256", p.sha256()));
    }
    target.ifPresent(event::target);
    return audit
        .append(event.build(), LedgerRows.issued(entry))
        .map(x -> new Recorded(entry.id(), credential));
  }

  private static LedgerEntry.Narrowing narrowing(Narrowed narrowed) {
    return new LedgerEntry.Narrowing(
        narrowed.values(), narrowed.policy().map(FilledDocument::sha256));
  }

  /**
   * A recorded credential whose grant turned out revoked is never handed out: {@code
   * credential.withheld} is committed, then the caller is refused. The refusal stands even if
   * recording it fails: nobody gets the credential either way.
   *
   * <p>The ledger row is marked withheld beside the record, not before it: the caller, refused
   * either way, waits for one deadline (the record's) after the re-read that found the grant, not
   * for a second statement first; and a row a revoke holds while it waits for its own record is
   * waited for here, never in the audit batch every replica's records share. A mark that fails
   * leaves the row {@code live}, which can only make a revocation deny more.
   */
  <T> Future<T> withheld(Recorded recorded, Withheld why, Ledger ledger, Clock clock) {
    AuditEvent.Builder event =
        event("credential.withheld")
            .cloud(recorded.credential().cloud())
            .outcome("refused")
            .reason(why.detail())
            .detail("credential_id", recorded.credentialId())
            .detail("credential", recorded.credential().auditFacts());
    target.ifPresent(event::target);
    ledger
        .withhold(recorded.credentialId(), clock.instant())
        .onFailure(
            e ->
                LOG.warn(
                    "credential {} was withheld but its ledger row could not be marked, and stays"
                        + " live: {}",
                    recorded.credentialId(),
                    e.toString()));
    return audit.append(event.build()).transform(done -> Future.failedFuture(why));
  }

  /**
   * Commits {@code credential.denied} and fails with what the caller may see. A failure to write
   * the audit itself is passed on as it is: there is nothing to record it in; so is a withheld
   * credential, already on the record.
   */
  <T> Future<T> denied(Throwable why) {
    if (why instanceof StintException e && e.code() == ErrorCode.AUDIT_UNAVAILABLE
        || why instanceof Withheld) {
      return Future.failedFuture(why);
    }
    boolean failed = !(why instanceof StintException);
    StintException shown = why instanceof StintException e ? e : unexpected(why);
    AuditEvent.Builder event =
        event("credential.denied")
            .outcome(failed || shown.code() == ErrorCode.INTERNAL ? "error" : "refused")
            .reason(shown instanceof Refusal r ? r.auditReason() : shown.detail())
            .detail("code", shown.code().code());
    return audit
        .append(event.build())
        .transform(done -> Future.failedFuture(done.failed() ? done.cause() : shown));
  }

  /**
   * A failure no step named. A database out of reach (a failover, a restart) is not stint's fault
   * and passes: the caller may try again (503). Found by FailoverIT: a read that failed in the gap,
   * whose denial was recorded once the new primary took writes, was answered 500.
   */
  private static StintException unexpected(Throwable why) {
    return Reachability.unreachable(why)
        ? new StintException(
            ErrorCode.UNAVAILABLE, "the database cannot be reached now; try again", why)
        : new StintException(ErrorCode.INTERNAL, "credential issuance failed", why);
  }

  private AuditEvent.Builder event(String type) {
    AuditEvent.Builder b = caller.event(type).profile(profile);
    basis.flatMap(Basis::onGrant).ifPresent(g -> b.grantId(g.id()).requestId(g.requestId()));
    basis.flatMap(Basis::ciRule).ifPresent(rule -> b.detail("ci_rule", rule));
    basis.flatMap(Basis::leaseId).ifPresent(lease -> b.detail("lease_id", lease));
    return b;
  }

  private static LedgerEntry.Basis ledgerBasis(Basis on) {
    if (on.leaseId().isPresent()) {
      Grant grant = on.onGrant().orElseThrow();
      return LedgerEntry.Basis.lease(grant.id(), grant.requestId(), on.leaseId().get());
    }
    return on.onGrant()
        .map(g -> LedgerEntry.Basis.grant(g.id(), g.requestId(), on.ciRule()))
        .orElseGet(() -> LedgerEntry.Basis.ciRule(on.ciRule().orElseThrow()));
  }

  /** A refusal whose audit record says more than the caller is told (which CI rule, and why). */
  static final class Refusal extends StintException {
    private final String auditReason;

    Refusal(StintException shown, String auditReason) {
      super(shown.code(), shown.detail());
      this.auditReason = auditReason;
    }

    String auditReason() {
      return auditReason;
    }
  }

  /** A recorded credential that is not handed out: its grant was revoked, or cannot be read. */
  static final class Withheld extends StintException {
    Withheld(ErrorCode code, String detail) {
      super(code, detail);
    }

    /** The cloud refused the console link made from a recorded session: nobody holds it. */
    static Withheld consoleRefused(Throwable why) {
      StintException e =
          why instanceof StintException s
              ? s
              : new StintException(ErrorCode.INTERNAL, "console sign-in failed", why);
      return new Withheld(e.code(), "console link: " + e.detail());
    }

    static Withheld revoked(String grantId) {
      return new Withheld(
          ErrorCode.CONFLICT,
          "grant "
              + grantId
              + " was revoked while its"
              + " credential was being issued; the credential was withheld");
    }

    static Withheld leaseEnded(String leaseId) {
      return new Withheld(
          ErrorCode.FORBIDDEN,
          "lease "
              + leaseId
              + " was revoked or ended while its credential was being issued; the credential"
              + " was withheld");
    }

    static Withheld leaseUnread(String leaseId) {
      return new Withheld(
          ErrorCode.UNAVAILABLE,
          "lease "
              + leaseId
              + " could not be read again after its credential was recorded; the credential was"
              + " withheld, try again");
    }

    static Withheld unread(String grantId) {
      return new Withheld(
          ErrorCode.UNAVAILABLE,
          "grant "
              + grantId
              + " could not be read again"
              + " after its credential was recorded; the credential was withheld, try again");
    }
  }
}
