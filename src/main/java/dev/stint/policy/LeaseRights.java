package dev.stint.policy;

import dev.stint.common.AwsPolicyContainment;
import dev.stint.identity.Person;
import java.time.Instant;
import java.util.Optional;

/**
 * What one person may do with task leases under one policy, each answer a decision with its reason:
 * lease a grant, carry a policy narrower than it, vote on a lease that waits, revoke one, mint on
 * one as the agent it names; and what nobody may, whoever asks: mint on a lease that is no longer
 * live, or use one while a review has suspended its holder or its agent. Whether a lease is
 * waiting, how long it lasts and how many live are the lease's own rules ({@code
 * lease.LeaseRules}); reading a lease is seeing its request ({@link RequestRights#maySee}).
 *
 * <p>What depends on who asks is asked of one person's rights ({@code new LeaseRights(caller)}):
 * creating, voting, minting as the agent named. They come from the verified (issuer, subject)
 * ({@link Person#is}); an email shared with the agent a lease names only ever takes them away
 * ({@link Person#mightBe}). What holds whoever asks is static.
 */
public final class LeaseRights {
  /** A review's suspension of a person from a profile: which review, since when. */
  public record Suspension(String reviewId, Instant since) {}

  /** Where a lease's grant stands at a mint: its id, its profile, and whether it is active. */
  public record LeasedGrant(String id, String profile, boolean active) {}

  /**
   * A lease as a mint finds it: its id, where it stands now ({@code active}, {@code expired},
   * {@code revoked}, ...), whether it is live (active and before its end), and its grant when that
   * is still there.
   */
  public record AtMint(String leaseId, String state, boolean live, Optional<LeasedGrant> grant) {}

  /** The role's grant for a lease no rule can prove statements inside: the role itself. */
  private static final String THE_ROLE =
      "[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]";

  private final Person caller;

  /** The rights of {@code caller}: who creates, votes, revokes or mints as an agent. */
  public LeaseRights(Person caller) {
    this.caller = caller;
  }

  /** A CI job's grant is leased by nobody: a job is no person to hand its access on. */
  public static Decision mayLeaseGrantOf(String requestId, Optional<String> ciRule) {
    return ciRule
        .map(
            rule ->
                Decision.deny(
                    "request "
                        + requestId
                        + " was opened under CI rule '"
                        + rule
                        + "': a CI job's grant cannot be leased"))
        .orElseGet(() -> Decision.allow("a person's grant may be leased"));
  }

  /** Only the grant's holder leases it, and only on a profile whose {@code leases} rule allows. */
  public Decision mayCreate(Profile profile, String grantId, Person holder) {
    if (profile.leases().isEmpty()) {
      return Decision.deny("profile '" + profile.name() + "' allows no leases (no leases: rule)");
    }
    if (!holder.is(caller)) {
      return Decision.deny("only the holder of grant " + grantId + " leases it");
    }
    return Decision.allow("the holder may lease grant " + grantId);
  }

  /**
   * Whether a lease may carry {@code statements} (a JSON array of AWS statements): only when they
   * are proven inside what the grant's sessions are narrowed to under {@code profile} as it stands,
   * the grant's own document ({@code grantDocument}), or the profile's fixed session policy, or,
   * with neither, the role itself. A profile narrowed by managed policies ({@code
   * session_policy_arns}) alone has a ceiling stint cannot read: nothing is proven inside it, since
   * AWS would join the statements to the managed ones and widen the session past the grant's.
   *
   * @throws IllegalArgumentException when the statements are not a form the proof can judge
   */
  public static Decision mayCarry(
      Profile profile, Optional<String> grantDocument, String statements) {
    Optional<String> within = grantDocument.or(profile::fixedSessionStatements);
    if (within.isEmpty() && profile.narrowedByManagedPolicies()) {
      return Decision.deny(
          "profile '"
              + profile.name()
              + "' is narrowed by managed session policies (session_policy_arns), which stint"
              + " cannot prove statements inside: its leases carry the grant's policy only");
    }
    return AwsPolicyContainment.whyNotContained(statements, within.orElse(THE_ROLE))
        .map(why -> Decision.deny("the lease's policy is not within its grant's: " + why))
        .orElseGet(() -> Decision.allow("the lease's policy is within its grant's"));
  }

  /**
   * Nobody a review suspended from a lease's profile uses a lease of it: neither its holder nor the
   * agent it names ({@code role}), whoever made it.
   */
  public static Decision mayUse(
      String role, Person person, String profile, Optional<Suspension> hold) {
    String who = "the lease's " + role + " " + person.subject() + " of " + person.issuer();
    return hold.map(
            h ->
                Decision.deny(
                    who
                        + " was suspended from profile "
                        + profile
                        + " by access review "
                        + h.reviewId()
                        + " at "
                        + h.since()
                        + "; a lease mints for nobody suspended until a later review or an admin"
                        + " restores them"))
        .orElseGet(() -> Decision.allow(who + " is not suspended from profile " + profile));
  }

  /**
   * The agent a lease names never votes on it: it would mint on what it approved. Who else may vote
   * is a request's vote rules' answer, as for an extension.
   */
  public Decision mayVote(Optional<Person> agent) {
    return agent.filter(caller::mightBe).isPresent()
        ? Decision.deny("you cannot vote on a lease that names you as its agent")
        : Decision.allow("not the lease's agent");
  }

  /**
   * The holder's vote on the task lease their enrolled agent asked ({@code grant}: their rights on
   * its request): on a step-up profile, only after a fresh sign-in, as an approver's would be.
   */
  public static Decision mayDecideTheirAgentsAsk(RequestRights grant) {
    return grant
        .freshSignInNeeded()
        .map(Decision::deny)
        .orElse(Decision.allow("the holder decides what their agent asked"));
  }

  /** A lease is revoked by whoever may revoke its grant: its holder, its approvers, the admins. */
  public static Decision mayRevoke(RequestRights grant, String leaseId) {
    Decision may = grant.mayRevoke();
    return may.allowed()
        ? may
        : Decision.deny(may.reason().replace("revoke this grant", "revoke lease " + leaseId));
  }

  /** An identity mints on a lease only as the agent it names: the same issuer and subject. */
  public Decision mayMintAsAgent(String leaseId, Optional<Person> agent) {
    return agent.filter(a -> a.is(caller)).isPresent()
        ? Decision.allow("the agent lease " + leaseId + " names")
        : Decision.deny("lease " + leaseId + " does not name you as its agent");
  }

  /**
   * A lease mints only while it is live, its grant active, and its profile (as the policy in force
   * has it, {@code profile}) still allows leases; whoever holds it.
   */
  public static Decision mayMint(AtMint lease, Optional<Profile> profile) {
    if (lease.grant().isEmpty()) {
      return Decision.deny("the grant of lease " + lease.leaseId() + " is gone");
    }
    LeasedGrant grant = lease.grant().get();
    if (profile.isEmpty()) {
      return Decision.deny("profile '" + grant.profile() + "' is no longer in the policy");
    }
    if (profile.get().leases().isEmpty()) {
      return Decision.deny("profile '" + profile.get().name() + "' allows no leases any more");
    }
    if (!lease.live()) {
      return Decision.deny("lease " + lease.leaseId() + " is " + lease.state());
    }
    if (!grant.active()) {
      return Decision.deny(
          "grant " + grant.id() + " of lease " + lease.leaseId() + " is not active");
    }
    return Decision.allow("lease " + lease.leaseId() + " mints");
  }
}
