package dev.stint.issuance;

import dev.stint.access.AccessRequest;
import dev.stint.access.Caller;
import dev.stint.access.Grants;
import dev.stint.access.NewRequest.Narrowed;
import dev.stint.audit.AuditLog;
import dev.stint.common.Ids;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.ledger.Ledger;
import dev.stint.mint.ConsoleSignIn;
import dev.stint.mint.Credential;
import dev.stint.mint.Lifetimes;
import dev.stint.mint.MintOrder;
import dev.stint.mint.Minters;
import dev.stint.mint.Minting;
import dev.stint.policy.CiExchange;
import dev.stint.policy.CiRule;
import dev.stint.policy.Policy;
import dev.stint.policy.PolicyInForce;
import dev.stint.policy.Profile;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/**
 * The one issuance pipeline. {@code POST /v1/credentials}, {@code /v1/exchange} and {@code
 * /v1/console} are thin front ends of it, and so is every later channel. Each request runs these
 * steps, once each, in this order:
 *
 * <ol>
 *   <li>take the policy snapshot;
 *   <li>find the profile (for a CI token, the CI rule that matches it and names the profile);
 *   <li>check the caller's address against the profile's networks;
 *   <li>establish the {@link Basis}: an approved grant, an auto-approval or a CI rule;
 *   <li>cap the lifetime;
 *   <li>mint;
 *   <li>record the issuance event and the credential's ledger row, committed together ({@link
 *       IssuanceEvent});
 *   <li>re-check the grant: one revoked while the credential was being made withholds it;
 *   <li>return the credential, only now.
 * </ol>
 *
 * <p>Any refusal or failure on the way is recorded as {@code credential.denied} by the same event.
 * The re-check comes after the record so that it cannot miss a revocation: a revocation reads the
 * ledger after its own commit, so either it sees this credential's row, or this re-check sees the
 * revocation.
 */
public final class Issuance {
  private final Grants access;
  private final PolicyInForce policies;
  private final Minters minters;
  private final Bases bases;
  private final AuditLog audit;
  private final Ledger ledger;
  private final Clock clock;
  private final IssuanceMetrics metrics;
  private final Ids ids = new Ids();

  /** Its meters go to {@code registry} (see {@link IssuanceMetrics}). */
  public Issuance(
      Grants access,
      PolicyInForce policies,
      Minters minters,
      ReplayGuard replays,
      Records records,
      MeterRegistry registry) {
    this.access = access;
    this.policies = policies;
    this.minters = minters;
    this.bases = new Bases(access, replays);
    this.audit = records.audit();
    this.ledger = records.ledger();
    this.clock = records.clock();
    this.metrics = new IssuanceMetrics(registry, minters.clouds());
  }

  /** Where issuances are recorded: the audit log, the ledger it writes, and the clock. */
  public record Records(AuditLog audit, Ledger ledger, Clock clock) {}

  /**
   * A credential, or (for a CI rule that needs approval) the request that waits for it. On the
   * console channel the credential comes with its sign-in link.
   */
  public sealed interface Outcome {
    record Minted(Issued issued, Optional<ConsoleSignIn.Link> consoleLink) implements Outcome {}

    record Pending(AccessRequest request) implements Outcome {}
  }

  public Future<Outcome> issue(CredentialAsk ask) {
    long started = System.nanoTime();
    return steps(ask)
        .onComplete(
            done ->
                metrics.issuance(
                    ask.channel(),
                    done.succeeded()
                        ? (done.result() instanceof Outcome.Minted
                            ? IssuanceMetrics.OutcomeTag.ISSUED
                            : IssuanceMetrics.OutcomeTag.PENDING)
                        : IssuanceMetrics.OutcomeTag.of(done.cause()),
                    started));
  }

  private Future<Outcome> steps(CredentialAsk ask) {
    IssuanceEvent event = new IssuanceEvent(audit, ask.caller(), ask.profile());
    Instant now = clock.instant();
    // 1. One policy snapshot serves the whole request.
    Policy policy = policies.current();
    ProfileEntry entry;
    Optional<Narrowed> asked;
    try {
      // 2. The profile, and for a CI token the rule.
      entry = entry(policy, ask, now);
      // 3. The networks, and a narrowed profile's values: what no grant could hold is refused
      // before any grant is looked up or request filed.
      requireWithinNetworks(ask.caller(), entry.profile());
      requireMinted(entry.profile());
      asked = askedNarrowing(ask, entry.profile());
    } catch (StintException refused) {
      return event.denied(refused);
    }
    event.target(entry.profile().target().describe());
    // 4. The basis.
    return bases
        .establish(policy, ask, entry, now)
        .compose(
            found -> {
              if (found instanceof Bases.Found.Waiting waiting) {
                return Future.succeededFuture((Outcome) new Outcome.Pending(waiting.request()));
              }
              Basis basis = ((Bases.Found.Ready) found).basis();
              event.basis(basis);
              return mint(ask, entry, basis, asked)
                  // 7. The record and the ledger row, committed.
                  .compose(credential -> event.issued(credential, ids))
                  // 8. The grant, again.
                  .compose(recorded -> unlessRevoked(basis, recorded, event))
                  // 9. The credential (and for the console, its sign-in link).
                  .compose(
                      recorded ->
                          signIn(entry, recorded, event)
                              .map(
                                  link ->
                                      (Outcome)
                                          new Outcome.Minted(
                                              new Issued(
                                                  recorded.credential(),
                                                  recorded.credentialId(),
                                                  basis.onGrant().map(g -> g.id()),
                                                  basis.ciRule()),
                                              link)));
            })
        .recover(event::denied);
  }

  /**
   * Steps 5 and 6: the lifetime, capped once within the cloud's limits, and the cloud call (for the
   * console, through the sign-in checked at step 2, which keeps the session for its link).
   */
  Future<Credential> mint(
      CredentialAsk ask, ProfileEntry entry, Basis basis, Optional<Narrowed> asked) {
    Profile profile = entry.profile();
    Optional<Minting> found = minters.of(profile.target());
    if (found.isEmpty()) {
      return Future.failedFuture(
          new StintException(
              ErrorCode.UNAVAILABLE,
              profile.target().cloud() + " credentials are not enabled on this server"));
    }
    Narrowed narrowed = basis.narrowed();
    Narrowed approved = basis.approved();
    // The document the asked values filled at step 3 is today's for the grant found by them.
    Optional<StintException> changed =
        NarrowedIssuance.unlessAsApproved(
            profile, approved, asked.filter(a -> a.values().equals(approved.values())));
    if (changed.isPresent()) {
      return Future.failedFuture(changed.get());
    }
    Minting minting = found.get();
    Instant now = clock.instant();
    Lifetimes.Allowed allowed =
        new Lifetimes.Allowed(
            ask.requested(), basis.max(), basis.endsAt(), profile.maxTokenLifetime());
    Lifetimes.Lifetime lifetime = Lifetimes.cap(allowed, minting.limits(), now);
    var person = basis.holder(ask.caller());
    MintOrder order =
        new MintOrder(
            profile.name(),
            profile.sources(),
            basis.under(),
            person.display(),
            person.issuer(),
            person.subject(),
            lifetime.duration(),
            Lifetimes.latestEnd(allowed, now),
            narrowed.values(),
            basis.statements());
    long started = System.nanoTime();
    return Future.fromCompletionStage(
            entry.signIn().map(s -> s.mint(order)).orElseGet(() -> minting.mint(order)),
            Vertx.currentContext())
        .onComplete(done -> metrics.mint(minting.cloud(), done.succeeded(), started))
        // A minter's dependent stages wrap its MintException; the caller must see the original.
        .recover(e -> Future.failedFuture(unwrap(e)));
  }

  private static Throwable unwrap(Throwable e) {
    return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
  }

  /**
   * A credential recorded for a grant that was revoked meanwhile is withheld, and so is one whose
   * grant cannot be read again: fail closed. What was made stays on the record.
   */
  Future<IssuanceEvent.Recorded> unlessRevoked(
      Basis basis, IssuanceEvent.Recorded recorded, IssuanceEvent event) {
    if (basis.onGrant().isEmpty()) {
      // A CI rule with approval: none mints on the rule alone: there is no grant to revoke.
      return Future.succeededFuture(recorded);
    }
    String grantId = basis.onGrant().get().id();
    return access
        .grantRevoked(grantId)
        .map(
            revoked ->
                revoked
                    ? Optional.of(IssuanceEvent.Withheld.revoked(grantId))
                    : Optional.<IssuanceEvent.Withheld>empty())
        .otherwise(e -> Optional.of(IssuanceEvent.Withheld.unread(grantId)))
        .compose(
            withheld ->
                withheld.isEmpty()
                    ? Future.succeededFuture(recorded)
                    : event.withheld(recorded, withheld.get(), ledger, clock));
  }

  /**
   * A console link is made from the recorded session at the landing checked before the mint, on the
   * same policy snapshot; a link the cloud refuses withholds the session, which nobody holds.
   */
  private Future<Optional<ConsoleSignIn.Link>> signIn(
      ProfileEntry entry, IssuanceEvent.Recorded recorded, IssuanceEvent event) {
    if (entry.signIn().isEmpty()) {
      return Future.succeededFuture(Optional.empty());
    }
    return Future.fromCompletionStage(entry.signIn().get().link(), Vertx.currentContext())
        .map(Optional::of)
        .recover(
            e ->
                event.withheld(
                    recorded, IssuanceEvent.Withheld.consoleRefused(unwrap(e)), ledger, clock));
  }

  private ProfileEntry entry(Policy policy, CredentialAsk ask, Instant now) {
    if (ask.channel() == IssuanceChannel.CI) {
      CiExchange ci = new CiExchange(policy);
      Optional<CiRule> rule = ci.match(ask.caller().principal(), ask.profile(), now);
      Optional<Profile> profile = policy.profile(ask.profile());
      if (rule.isEmpty() || profile.isEmpty()) {
        // Which rule did not match, and why, goes to the audit; the caller learns only that no
        // rule allows this token (not even whether the profile exists).
        throw new IssuanceEvent.Refusal(
            StintException.forbidden(
                "no CI rule allows this token to exchange for profile '" + ask.profile() + "'"),
            ci.canExchange(ask.caller().principal(), ask.profile(), now).reason());
      }
      return new ProfileEntry(profile.get(), rule);
    }
    Profile profile =
        policy
            .profile(ask.profile())
            .orElseThrow(() -> StintException.notFound("unknown profile '" + ask.profile() + "'"));
    if (ask.channel() == IssuanceChannel.CONSOLE) {
      try {
        return new ProfileEntry(profile, Optional.empty(), Optional.of(landing(profile, ask)));
      } catch (StintException e) {
        throw new IssuanceEvent.Refusal(e, "console link: " + e.getMessage());
      }
    }
    return new ProfileEntry(profile, Optional.empty());
  }

  /**
   * Where a console link for {@code profile} lands, checked before anything is minted (a refused
   * link costs no session), against the profile as this ask's policy snapshot holds it.
   */
  private Minting.SignIn landing(Profile profile, CredentialAsk ask) {
    String cloud = profile.target().cloud();
    ConsoleLanding where = ask.console().orElse(ConsoleLanding.HOME);
    return minters
        .of(profile.target())
        .flatMap(m -> m.signIn(profile.name(), where.destination(), where.region()))
        .orElseThrow(
            () ->
                StintException.invalid(
                    "profile "
                        + profile.name()
                        + " is a "
                        + cloud
                        + " profile: stint has no console sign-in for "
                        + cloud));
  }

  /**
   * The values a person asked with, checked against the profile's parameters as a request's are,
   * with the document they fill; none for a CI job, which asks with none (its rule fixes them).
   */
  private static Optional<Narrowed> askedNarrowing(CredentialAsk ask, Profile profile) {
    if (ask.channel() == IssuanceChannel.CI) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Narrowed(ask.parameters(), profile.narrowedPolicy(ask.parameters())));
    } catch (IllegalArgumentException e) {
      throw StintException.invalid(
          "parameters of profile '" + profile.name() + "': " + e.getMessage());
    }
  }

  /**
   * The profile's {@code source_cidrs} against the caller's address (the TCP peer, or behind {@code
   * trusted_proxies} the address they forwarded: see ClientAddresses). No address at all is
   * outside. Checked before any request, replay record or cloud call.
   */
  /**
   * A profile whose grant is a directory's assignment (IAM Identity Center) is used through the
   * cloud's own sign-in: no credential is minted for it, and asking says where to go instead.
   */
  static void requireMinted(Profile profile) {
    if (profile.target().assignment().isPresent()) {
      throw StintException.invalid(
          "profile '"
              + profile.name()
              + "' grants an IAM Identity Center assignment, not keys: sign in through the AWS"
              + " access portal or with `aws sso login` while the grant is active");
    }
  }

  static void requireWithinNetworks(Caller caller, Profile profile) {
    if (!profile.sources().contains(caller.clientAddress())) {
      throw StintException.forbidden(
          "your address "
              + caller.clientAddress().orElse("(unknown)")
              + " is outside the networks profile '"
              + profile.name()
              + "' allows (source_cidrs)");
    }
  }
}
