package dev.stint.issuance;

import dev.stint.access.Caller;
import dev.stint.audit.AuditEvent;
import dev.stint.audit.AuditLog;
import dev.stint.common.ParameterValues;
import dev.stint.mint.ConsoleSignIn;
import dev.stint.mint.Minters;
import dev.stint.policy.PolicyInForce;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code POST /v1/console}: a console sign-in link, a front end of {@link Issuance}, for a profile
 * whose cloud has one ({@link ConsoleSignIn}). The session behind it is minted (and audited) like
 * any credential; the link itself is audited as {@code console.issued} before it is returned.
 */
public final class ConsoleService {
  private final Issuance issuance;
  private final Minters minters;
  private final PolicyInForce policies;
  private final AuditLog audit;

  public ConsoleService(
      Issuance issuance, Minters minters, PolicyInForce policies, AuditLog audit) {
    this.issuance = issuance;
    this.minters = minters;
    this.policies = policies;
    this.audit = audit;
  }

  /** A sign-in link, with the grant its session was issued under. */
  public record Link(String url, Instant expiresAt, Instant sessionExpiresAt, String grantId) {}

  /** Whether the policy holds {@code profile} and its cloud has a console sign-in here. */
  public boolean offers(String profile) {
    return policies
        .current()
        .profile(profile)
        .map(p -> minters.hasConsole(p.target().cloud()))
        .orElse(false);
  }

  /**
   * The landing is checked by issuance on the policy snapshot it mints on, before the mint; the
   * link is audited here before it is returned.
   */
  public Future<Link> link(
      Caller caller, String profile, ConsoleLanding where, ParameterValues parameters) {
    return issuance
        .issue(
            new CredentialAsk(
                caller,
                profile,
                Optional.empty(),
                IssuanceChannel.CONSOLE,
                Optional.of(where),
                parameters))
        .compose(
            outcome -> {
              Issuance.Outcome.Minted minted = (Issuance.Outcome.Minted) outcome;
              return record(
                  caller, profile, where, minted.issued(), minted.consoleLink().orElseThrow());
            });
  }

  private Future<Link> record(
      Caller caller, String profile, ConsoleLanding where, Issued issued, ConsoleSignIn.Link link) {
    String grantId = issued.grantId().orElseThrow();
    AuditEvent.Builder event =
        caller
            .event("console.issued")
            .profile(profile)
            .grantId(grantId)
            .cloud(issued.credential().cloud())
            .outcome("ok")
            .detail("credential_id", issued.credentialId());
    issued.credential().receipt().accessKeyId().ifPresent(id -> event.detail("access_key_id", id));
    return audit
        .append(
            event
                .detail("session_expires_at", link.sessionExpiresAt().toString())
                .detail("destination", where.destination().orElse("console home"))
                .build())
        .map(
            x ->
                new Link(
                    link.url().toString(), link.linkExpiresAt(), link.sessionExpiresAt(), grantId));
  }
}
