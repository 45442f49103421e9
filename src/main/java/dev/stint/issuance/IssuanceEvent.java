package dev.stint.issuance;

import dev.stint.access.Caller;
import dev.stint.audit.AuditEvent;
import dev.stint.audit.AuditLog;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.mint.Credential;
import io.vertx.core.Future;
import java.util.Map;
import java.util.Optional;

/**
 * The one audit event of one issuance, filled in as the request goes: who asked for what, then
 * the basis, and at the end either {@code credential.issued} with what was made (never the
 * secret) or {@code credential.denied} with why. Committed before the caller learns the outcome.
 */
final class IssuanceEvent {
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

  /** Commits {@code credential.issued}; the future succeeds only once it is committed. */
  Future<Void> issued(Credential credential) {
    Basis on = basis.orElseThrow();
    AuditEvent.Builder event = event("credential.issued")
        .cloud(credential.cloud())
        .outcome("ok")
        .reason(on.reason())
        .detail("credential", CredentialFacts.of(credential))
        .detail("valid_until", on.endsAt().toString());
    target.ifPresent(event::target);
    return audit.append(event.build()).mapEmpty();
  }

  /**
   * Commits {@code credential.denied} and fails with what the caller may see. A failure to write
   * the audit itself is passed on as it is: there is nothing to record it in.
   */
  <T> Future<T> denied(Throwable why) {
    if (why instanceof StintException e && e.code() == ErrorCode.AUDIT_UNAVAILABLE) {
      return Future.failedFuture(e);
    }
    StintException shown = why instanceof StintException e ? e
        : new StintException(ErrorCode.INTERNAL, "credential issuance failed", why);
    AuditEvent.Builder event = event("credential.denied")
        .outcome(shown.code() == ErrorCode.INTERNAL ? "error" : "refused")
        .reason(shown instanceof Refusal r ? r.auditReason() : shown.detail())
        .detail("code", shown.code().code());
    if (shown instanceof Withheld withheld) {
      event.detail("credential", withheld.credential()).detail("withheld", true);
    }
    return audit.append(event.build()).transform(done -> Future.failedFuture(
        done.failed() ? done.cause() : shown));
  }

  private AuditEvent.Builder event(String type) {
    AuditEvent.Builder b = caller.event(type).profile(profile);
    basis.flatMap(Basis::onGrant).ifPresent(g -> b.grantId(g.id()).requestId(g.requestId()));
    basis.flatMap(Basis::ciRule).ifPresent(rule -> b.detail("ci_rule", rule));
    return b;
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

  /** A credential minted for a grant revoked meanwhile: refused, and audited with what was made. */
  static final class Withheld extends StintException {
    private final transient Map<String, Object> credential;

    Withheld(String grantId, Credential made) {
      super(ErrorCode.CONFLICT, "grant " + grantId + " was revoked while its credential was being"
          + " issued; the credential was withheld");
      this.credential = CredentialFacts.of(made);
    }

    Map<String, Object> credential() {
      return credential;
    }
  }
}
