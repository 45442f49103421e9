package dev.stint.issuance;

import dev.stint.access.Caller;
import dev.stint.audit.AuditEvent;
import dev.stint.audit.AuditLog;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.mint.CloudMinter;
import dev.stint.mint.ConsoleSignIn;
import dev.stint.mint.Minters;
import dev.stint.policy.PolicyStore;
import dev.stint.policy.Profile;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@code POST /v1/console}: a console sign-in link, a front end of {@link Issuance}, for a profile
 * whose cloud has one ({@link ConsoleSignIn}). The session behind it is minted (and audited) like
 * any credential; the link itself is audited as {@code console.issued} before it is returned.
 */
public final class ConsoleService {
  private final Issuance issuance;
  private final Minters minters;
  private final PolicyStore policies;
  private final AuditLog audit;

  public ConsoleService(Issuance issuance, Minters minters, PolicyStore policies, AuditLog audit) {
    this.issuance = issuance;
    this.minters = minters;
    this.policies = policies;
    this.audit = audit;
  }

  /** Where to land in the console: a page (URL or path) and a region, both optional. */
  public record Where(Optional<String> destination, Optional<String> region) {
    public static final Where HOME = new Where(Optional.empty(), Optional.empty());
  }

  /** A sign-in link, with the grant its session was issued under. */
  public record Link(String url, Instant expiresAt, Instant sessionExpiresAt, String grantId) {}

  /** Whether the policy holds {@code profile} and its cloud has a console sign-in here. */
  public boolean offers(String profile) {
    return policies
        .current()
        .profile(profile)
        .map(p -> minters.console(p.target().cloud()).isPresent())
        .orElse(false);
  }

  public Future<Link> link(Caller caller, String profile, Where where) {
    Optional<ConsoleSignIn.Landing> checked;
    try {
      // Checked before anything is minted: a refused link should cost no session. A profile the
      // policy does not hold is refused by issuance, in its own words.
      checked = landing(profile, where);
    } catch (StintException e) {
      return refused(caller, profile, e);
    }
    return issuance
        .issue(new Issuance.Ask(caller, profile, Optional.empty(), Issuance.Channel.CONSOLE))
        .compose(
            outcome -> {
              Issued issued = ((Issuance.Outcome.Minted) outcome).issued();
              Future<ConsoleSignIn.Link> signedIn =
                  Future.fromCompletionStage(
                      signIn(checked, profile, where, issued), Vertx.currentContext());
              return signedIn
                  .recover(e -> refused(caller, profile, asStint(e)))
                  .compose(link -> record(caller, profile, where, issued, link));
            });
  }

  private Optional<ConsoleSignIn.Landing> landing(String profile, Where where) {
    Optional<Profile> known = policies.current().profile(profile);
    if (known.isEmpty()) {
      return Optional.empty();
    }
    Profile p = known.get();
    String cloud = p.target().cloud();
    CloudMinter minter =
        minters
            .of(cloud)
            .filter(m -> m.console().isPresent())
            .orElseThrow(
                () ->
                    StintException.invalid(
                        "profile "
                            + profile
                            + " is a "
                            + cloud
                            + " profile: stint has no console sign-in for "
                            + cloud));
    return Optional.of(
        minter
            .console()
            .orElseThrow()
            .landing(
                minter.target(p.target(), p.sources()),
                profile,
                where.destination(),
                where.region()));
  }

  /** The landing checked before the mint; one the policy gained since is checked now. */
  private CompletableFuture<ConsoleSignIn.Link> signIn(
      Optional<ConsoleSignIn.Landing> checked, String profile, Where where, Issued issued) {
    try {
      ConsoleSignIn.Landing landing =
          checked.isPresent() ? checked.get() : landing(profile, where).orElseThrow();
      return landing.link(issued.credential());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private Future<Link> record(
      Caller caller, String profile, Where where, Issued issued, ConsoleSignIn.Link link) {
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

  private <T> Future<T> refused(Caller caller, String profile, StintException e) {
    return new IssuanceEvent(audit, caller, profile)
        .denied(new IssuanceEvent.Refusal(e, "console link: " + e.getMessage()));
  }

  private static StintException asStint(Throwable e) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    return cause instanceof StintException s
        ? s
        : new StintException(ErrorCode.INTERNAL, "credential issuance failed", cause);
  }
}
