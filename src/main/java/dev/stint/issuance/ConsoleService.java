package dev.stint.issuance;

import dev.stint.access.Caller;
import dev.stint.access.Grant;
import dev.stint.access.Grants;
import dev.stint.audit.AuditEvent;
import dev.stint.audit.AuditLog;
import dev.stint.cloud.AccountAssignment;
import dev.stint.common.ParameterValues;
import dev.stint.config.AccessPortal;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.mint.ConsoleSignIn;
import dev.stint.mint.Minters;
import dev.stint.policy.PolicyInForce;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code POST /v1/console}: a console sign-in link, a front end of {@link Issuance}, for a profile
 * whose cloud has one ({@link ConsoleSignIn}). The session behind it is minted (and audited) like
 * any credential; the link itself is audited as {@code console.issued} before it is returned. An
 * IAM Identity Center grant's link is the AWS access portal's deep link instead: nothing is minted.
 */
public final class ConsoleService {
  private final Issuance issuance;
  private final Minters minters;
  private final PolicyInForce policies;
  private final AuditLog audit;
  private final Optional<Portal> portal;

  /**
   * IAM Identity Center's side: the caller's grants, and the access portal the console link of an
   * {@code identity_center} profile's grant goes to (it mints nothing).
   */
  public record Portal(Grants grants, AccessPortal at) {}

  public ConsoleService(
      Issuance issuance, Minters minters, PolicyInForce policies, AuditLog audit) {
    this(issuance, minters, policies, audit, Optional.empty());
  }

  public ConsoleService(
      Issuance issuance,
      Minters minters,
      PolicyInForce policies,
      AuditLog audit,
      Optional<Portal> portal) {
    this.issuance = issuance;
    this.minters = minters;
    this.policies = policies;
    this.audit = audit;
    this.portal = portal;
  }

  /** A sign-in link, with the grant its session was issued under. */
  public record Link(String url, Instant expiresAt, Instant sessionExpiresAt, String grantId) {}

  /** Whether the policy holds {@code profile} and its cloud has a console sign-in here. */
  public boolean offers(String profile) {
    return policies
        .current()
        .profile(profile)
        .map(
            p ->
                p.target().assignment().isPresent()
                    ? portal.isPresent()
                    : minters.hasConsole(p.target().cloud()))
        .orElse(false);
  }

  /** Whether {@code profile}'s console is IAM Identity Center's access portal. */
  public boolean opensPortal(String profile) {
    return policies.current().profile(profile).flatMap(p -> p.target().assignment()).isPresent();
  }

  /**
   * The landing is checked by issuance on the policy snapshot it mints on, before the mint; the
   * link is audited here before it is returned.
   */
  public Future<Link> link(
      Caller caller, String profile, ConsoleLanding where, ParameterValues parameters) {
    Optional<AccountAssignment> assignment =
        policies.current().profile(profile).flatMap(p -> p.target().assignment());
    if (assignment.isPresent()) {
      return portalLink(caller, profile, assignment.get(), parameters);
    }
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

  /**
   * An Identity Center grant's console is the access portal: its deep link to the account and
   * permission set (the portal's start page when the policy names no permission set name), for a
   * caller holding an active grant of the profile; the portal itself checks the assignment. Each
   * refusal is audited as issuance's are.
   */
  private Future<Link> portalLink(
      Caller caller, String profile, AccountAssignment at, ParameterValues parameters) {
    IssuanceEvent refused = new IssuanceEvent(audit, caller, profile);
    if (portal.isEmpty()) {
      return refused.denied(
          StintException.invalid(
              "profile '"
                  + profile
                  + "' is used through the AWS access portal, which this server does not name"
                  + " (aws.identity_center.start_url); sign in through your portal or with"
                  + " `aws sso login`"));
    }
    AccessPortal to = portal.get().at();
    return portal
        .get()
        .grants()
        .activeGrant(caller, profile, parameters)
        .compose(
            active -> {
              if (active.isEmpty()) {
                return refused.<Link>denied(
                    new StintException(
                        ErrorCode.APPROVAL_REQUIRED,
                        "no active grant for profile "
                            + profile
                            + ": request it, and open the portal once it is approved"));
              }
              Grant grant = active.get();
              String url =
                  at.permissionSetName()
                      .map(name -> to.consoleLink(at.accountId(), name))
                      .orElse(to.startUrl())
                      .toString();
              return audit
                  .append(
                      caller
                          .event("console.issued")
                          .profile(profile)
                          .grantId(grant.id())
                          .cloud("aws")
                          .outcome("ok")
                          .detail("destination", "access portal")
                          .build())
                  .map(x -> new Link(url, grant.endsAt(), grant.endsAt(), grant.id()));
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
