package dev.stint.access;

import dev.stint.common.ParameterValues;
import dev.stint.identity.Person;
import dev.stint.policy.Policy;
import dev.stint.policy.Profile;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * What the issuance pipeline may ask of requests and grants, and nothing more: find the grant a
 * credential is minted on, open the request an auto-approving profile or a CI rule opens, read a CI
 * job's own request, read a grant again after the credential is recorded, and whether a review
 * suspended someone a task lease names. Deciding, revoking, listing and sweeping stay with the
 * people-facing service.
 */
public interface Grants {
  /**
   * The caller's grant for a profile that is usable now and lasts longest, if any, among the grants
   * people asked for whose values are exactly {@code values} ({@link ParameterValues#NONE} for a
   * profile without parameters): a grant opened under a CI rule is never found here, nor a grant
   * narrowed to other values.
   */
  Future<Optional<Grant>> activeGrant(Caller caller, String profile, ParameterValues values);

  /** As {@link #activeGrant}, among the grants opened under CI rule {@code ciRule} only. */
  Future<Optional<Grant>> activeGrantUnderCiRule(
      Caller caller, String profile, String ciRule, ParameterValues values);

  /**
   * On the pipeline's own policy snapshot: creates a request only if the profile's {@code
   * auto_approve} approves it, and then approved. Otherwise nothing is created and the caller is
   * told to request access ({@code approval_required}).
   */
  Future<AccessRequest> createAutoApproved(Caller caller, NewRequest asked, Policy policy);

  /** The caller's pending request under a CI rule, if any (a CI job polling does not pile up). */
  Future<Optional<AccessRequest>> pendingUnderCiRule(Caller caller, String profile, String ciRule);

  /**
   * A request made by a CI job under a CI rule that needs a human approval; the rule has already
   * matched the token, so the profile's requesters condition does not apply.
   */
  Future<AccessRequest> createForCi(
      Caller caller, Profile profile, NewRequest asked, String ciRule);

  /** Request {@code id}, if the caller may see it; otherwise {@code not_found}. */
  Future<AccessRequest> get(Caller caller, String id);

  /** The CI rule that opened request {@code id}, if a CI rule opened it. */
  Future<Optional<String>> ciRuleOf(String id);

  /**
   * Whether grant {@code grantId} has been revoked (or is gone), read afresh: a credential minted
   * while a revocation committed must not be handed out.
   */
  Future<Boolean> grantRevoked(String grantId);

  /**
   * The grant of request {@code requestId}, read afresh for a task lease made on it, whoever asks:
   * the lease was proven within the grant when its holder made it, and is checked again at each
   * mint against what this answers.
   */
  Future<Optional<Grant>> grantOfLease(String requestId);

  /**
   * The request of a task lease, read afresh whoever asks: for a lease ended by stint (a finding's
   * action), whose revoke names the request as a person's revoke does. Empty when it is gone.
   */
  Future<Optional<AccessRequest>> requestOfLease(String requestId);

  /**
   * Whether an access review suspended {@code person}'s eligibility for {@code profile}, read
   * afresh in their turn for it ({@link EligibilityHolds}), so a suspension committed before the
   * read is seen: a task lease is made and mints only while neither its holder nor its agent is. A
   * read that fails fails the future; the caller refuses.
   */
  Future<Optional<EligibilityHolds.Hold>> held(Person person, String profile);
}
