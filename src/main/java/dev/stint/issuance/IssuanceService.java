package dev.stint.issuance;

import dev.stint.access.AccessService;
import dev.stint.access.Caller;
import dev.stint.access.Grant;
import dev.stint.access.NewRequest;
import dev.stint.audit.AuditEvent;
import dev.stint.audit.AuditLog;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.policy.PolicyEvaluator;
import dev.stint.policy.PolicyStore;
import dev.stint.policy.Profile;
import dev.stint.policy.RequestFacts;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /v1/credentials}: the caller's active grant (or an auto-approving profile) →
 * the cloud's minter → the {@code credential.issued} event, committed before the credential is
 * returned. Every refusal and failure is audited as {@code credential.denied}.
 */
public final class IssuanceService {
  private final AccessService access;
  private final PolicyStore policies;
  private final Map<String, CloudMinter> minters;
  private final AuditLog audit;
  private final Clock clock;
  private final AutoApprovals autoApprovals = new AutoApprovals();

  public IssuanceService(AccessService access, PolicyStore policies,
      Map<String, CloudMinter> minters, AuditLog audit, Clock clock) {
    this.access = access;
    this.policies = policies;
    this.minters = Map.copyOf(minters);
    this.audit = audit;
    this.clock = clock;
  }

  public Future<Issued> credentials(Caller caller, String profileName,
      Optional<Duration> requested) {
    Optional<Profile> profile = policies.current().profile(profileName);
    if (profile.isEmpty()) {
      return denied(caller, profileName, Optional.empty(),
          StintException.notFound("unknown profile '" + profileName + "'"));
    }
    Profile p = profile.get();
    Optional<StintException> outside = outsideNetworks(caller, p);
    if (outside.isPresent()) {
      return denied(caller, p.name(), Optional.empty(), outside.get());
    }
    return grantFor(caller, p)
        .compose(grant -> mint(caller, p, grant, requested)
            .recover(e -> denied(caller, p.name(), Optional.of(grant), e)),
            e -> denied(caller, p.name(), Optional.empty(), e));
  }

  /**
   * The grant with the latest end; without one, an auto-approving profile approves a request
   * for the profile's maximum duration on the spot (recorded like any other request).
   */
  private Future<Grant> grantFor(Caller caller, Profile profile) {
    return access.activeGrant(caller, profile.name()).compose(active -> active.isPresent()
        ? Future.succeededFuture(active.get())
        : autoApprove(caller, profile));
  }

  /** Without a grant, an auto-approving profile opens one request per burst of calls. */
  private Future<Grant> autoApprove(Caller caller, Profile profile) {
    RequestFacts facts = new RequestFacts(profile.maxDuration(), Optional.empty(),
        Optional.empty(), false);
    boolean auto = new PolicyEvaluator(policies.current())
        .autoApproves(caller.principal(), profile, facts, clock.instant()).allowed();
    if (!auto) {
      return Future.failedFuture(new StintException(ErrorCode.APPROVAL_REQUIRED,
          "no active grant for profile " + profile.name() + "; request one with 'stint request "
              + profile.name() + "'"));
    }
    AutoApprovals.Key key = new AutoApprovals.Key(caller.person().issuer(),
        caller.person().subject(), profile.name());
    return autoApprovals.grant(key, () -> access.activeGrant(caller, profile.name()),
        () -> openAutoApproved(caller, profile));
  }

  private Future<Grant> openAutoApproved(Caller caller, Profile profile) {
    NewRequest asked = new NewRequest(profile.name(), profile.maxDuration(),
        "auto-approved on credential request", Optional.empty(), Optional.empty(), false);
    return access.create(caller, asked).map(r -> r.grant().orElseThrow(() ->
        new StintException(ErrorCode.APPROVAL_REQUIRED, "no active grant for profile "
            + profile.name())));
  }

  private Future<Issued> mint(Caller caller, Profile profile, Grant grant,
      Optional<Duration> requested) {
    Basis basis = new Basis(grant.id(), Optional.of(grant.requestId()), grant.endsAt(),
        profile.maxDuration(), grant.breakGlass() ? "break-glass grant" : "active grant");
    return mint(caller, profile, basis, requested);
  }

  /**
   * What a credential is issued on: a grant (with its request) or a CI rule, when it ends, the
   * longest it may last, and the reason the audit records.
   */
  record Basis(String grantId, Optional<String> requestId, Instant endsAt, Duration max,
      String reason) {}

  /** Mints and commits {@code credential.issued}; only then is the credential handed back. */
  Future<Issued> mint(Caller caller, Profile profile, Basis basis, Optional<Duration> requested) {
    Optional<StintException> outside = outsideNetworks(caller, profile);
    if (outside.isPresent()) {
      return Future.failedFuture(outside.get());
    }
    CloudMinter minter = minters.get(profile.target().cloud());
    if (minter == null) {
      return Future.failedFuture(new StintException(ErrorCode.UNAVAILABLE,
          profile.target().cloud() + " credentials are not enabled on this server"));
    }
    MintContext context = new MintContext(profile, basis.grantId(), basis.endsAt(),
        caller.person().display(), caller.person().issuer(), caller.person().subject(),
        requested, basis.max());
    return minter.mint(context).compose(issued -> unlessRevoked(basis, issued)).compose(issued -> {
      AuditEvent.Builder event = event("credential.issued", caller, profile.name(),
          Optional.empty())
          .grantId(basis.grantId())
          .cloud(issued.cloud())
          .target(profile.target().describe())
          .outcome("ok")
          .reason(basis.reason())
          .detail("credential", issued.auditDetails())
          .detail("valid_until", basis.endsAt().toString());
      basis.requestId().ifPresent(event::requestId);
      return audit.append(event.build()).map(issued);
    });
  }

  /**
   * The grant read again after minting: when it was revoked while the cloud call was in flight,
   * the fresh credential is withheld (its revocation deny covers it too) and the refusal says
   * which credential was made, without its secret.
   */
  private Future<Issued> unlessRevoked(Basis basis, Issued issued) {
    if (basis.requestId().isEmpty()) {
      // A CI rule with approval: none mints on the rule alone: there is no grant to revoke.
      return Future.succeededFuture(issued);
    }
    return access.grantRevoked(basis.grantId()).compose(revoked -> revoked
        ? Future.failedFuture(new Withheld(basis.grantId(), issued.auditDetails()))
        : Future.succeededFuture(issued));
  }

  /** A credential minted for a grant revoked meanwhile: refused, and audited with what was made. */
  static final class Withheld extends StintException {
    private final transient Map<String, Object> credential;

    Withheld(String grantId, Map<String, Object> credential) {
      super(ErrorCode.CONFLICT, "grant " + grantId + " was revoked while its credential was being"
          + " issued; the credential was withheld");
      this.credential = Map.copyOf(credential);
    }
  }

  /**
   * The profile's {@code source_cidrs} against the caller's address (the TCP peer, or behind
   * {@code trusted_proxies} the address they forwarded: see ClientAddresses). No address at all
   * is outside.
   */
  static Optional<StintException> outsideNetworks(Caller caller, Profile profile) {
    if (profile.sources().contains(caller.clientAddress())) {
      return Optional.empty();
    }
    return Optional.of(StintException.forbidden("your address "
        + caller.clientAddress().orElse("(unknown)") + " is outside the networks profile '"
        + profile.name() + "' allows (source_cidrs)"));
  }

  /**
   * Records a refusal as {@code credential.denied} and fails with it. {@code auditReason} may
   * say more than the caller is told (which CI rule did not match, and why).
   */
  <T> Future<T> refuse(Caller caller, String profile, Throwable why, String auditReason) {
    return denied(caller, profile, Optional.empty(), why, auditReason);
  }

  /** Records the refusal and fails with it; if even that cannot be recorded, says so. */
  private <T> Future<T> denied(Caller caller, String profile, Optional<Grant> grant,
      Throwable why) {
    return denied(caller, profile, grant, why, null);
  }

  private <T> Future<T> denied(Caller caller, String profile, Optional<Grant> grant,
      Throwable why, String auditReason) {
    if (why instanceof StintException e && e.code() == ErrorCode.AUDIT_UNAVAILABLE) {
      return Future.failedFuture(e);
    }
    StintException shown = why instanceof StintException e ? e
        : new StintException(ErrorCode.INTERNAL, "credential issuance failed", why);
    AuditEvent.Builder event = event("credential.denied", caller, profile, grant)
        .outcome(shown.code() == ErrorCode.INTERNAL ? "error" : "refused")
        .reason(auditReason == null ? shown.detail() : auditReason)
        .detail("code", shown.code().code());
    if (shown instanceof Withheld withheld) {
      event.detail("credential", withheld.credential).detail("withheld", true);
    }
    return audit.append(event.build()).transform(done -> Future.failedFuture(
        done.failed() ? done.cause() : shown));
  }

  private static AuditEvent.Builder event(String type, Caller caller, String profile,
      Optional<Grant> grant) {
    AuditEvent.Builder b = AuditEvent.builder(type)
        .actor(caller.principal().issuer(), caller.principal().subject(),
            caller.principal().email().orElse(null))
        .client(caller.clientAddress().orElse(null), caller.userAgent().orElse(null))
        .profile(profile);
    grant.ifPresent(g -> b.grantId(g.id()).requestId(g.requestId()));
    return b;
  }
}
