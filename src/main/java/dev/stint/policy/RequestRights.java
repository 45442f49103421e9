package dev.stint.policy;

import dev.stint.identity.Person;
import dev.stint.identity.Principal;
import java.time.Instant;
import java.util.Optional;

/**
 * What one person may do with one filed request, under one policy at one moment: every "may"
 * about a request is answered here, each with a reason, and nowhere else. Whether the request is
 * in a state for the action (pending, approved, awaiting review) is the state machines' part.
 *
 * <p>Rights come from the verified (issuer, subject) ({@link Person#is}); an email shared with
 * the requester only ever takes rights away ({@link Person#mightBe}). A request whose profile has
 * since left the policy can no longer be approved, but its requester and admins can still see and
 * revoke it.
 */
public final class RequestRights {
  private final PolicyEvaluator evaluator;
  private final Principal principal;
  private final FiledRequest request;
  private final Instant now;

  RequestRights(PolicyEvaluator evaluator, Principal principal, FiledRequest request,
      Instant now) {
    this.evaluator = evaluator;
    this.principal = principal;
    this.request = request;
    this.now = now;
  }

  /** The caller made this request: the same issuer and subject. */
  public boolean isRequester() {
    return principal.person().is(request.requester());
  }

  /** The caller may be the requester (same person or same email): only ever used to refuse. */
  public boolean mightBeRequester() {
    return principal.person().mightBe(request.requester());
  }

  /** Requesters see their own requests, approvers those they may decide, admins and auditors all. */
  public Decision maySee() {
    if (isRequester()) {
      return Decision.allow("your own request");
    }
    if (mayApprove().allowed()) {
      return Decision.allow("an approver of profile '" + request.profile() + "'");
    }
    if (evaluator.isAdmin(principal, now)) {
      return Decision.allow("among the admins");
    }
    if (evaluator.isAuditor(principal, now)) {
      return Decision.allow("among the auditors");
    }
    return Decision.deny("only the requester, an approver of profile '" + request.profile()
        + "', an admin or an auditor may see this request");
  }

  /** Never their own request, whatever the policy says; else the profile's approvers. */
  public Decision mayApprove() {
    if (mightBeRequester()) {
      return Decision.deny("a requester can never approve their own request");
    }
    return approver("approve");
  }

  /** As {@link #mayApprove}: one approver's no is enough, and the requester cancels instead. */
  public Decision mayDeny() {
    if (mightBeRequester()) {
      return Decision.deny("a requester can never deny their own request; they cancel it");
    }
    return approver("deny");
  }

  /** Only the requester withdraws their request. */
  public Decision mayCancel() {
    return isRequester() ? Decision.allow("the requester may cancel their own request")
        : Decision.deny("only the requester can cancel a request");
  }

  /** The requester, the profile's approvers and the admins may end a grant early. */
  public Decision mayRevoke() {
    if (isRequester()) {
      return Decision.allow("the requester may end their own grant");
    }
    if (mayApprove().allowed()) {
      return Decision.allow("an approver of profile '" + request.profile() + "' may revoke");
    }
    if (evaluator.isAdmin(principal, now)) {
      return Decision.allow("an admin may revoke any grant");
    }
    return Decision.deny("you may not revoke this grant (only its requester, an approver of"
        + " profile '" + request.profile() + "' or an admin may)");
  }

  /** A break-glass use is reviewed by an approver of its profile or an admin, never its user. */
  public Decision mayReview() {
    if (mightBeRequester()) {
      return Decision.deny("you cannot review your own break-glass use");
    }
    if (mayApprove().allowed()) {
      return Decision.allow("an approver of profile '" + request.profile() + "' may review");
    }
    if (evaluator.isAdmin(principal, now)) {
      return Decision.allow("an admin may review any grant");
    }
    return Decision.deny("you may not review grants for " + request.profile());
  }

  /** Only the grant's holder asks to extend it, and only when the profile has an extension rule. */
  public Decision mayExtend() {
    boolean extensible = profile().flatMap(Profile::extension).isPresent();
    if (!extensible) {
      return Decision.deny("profile '" + request.profile()
          + "' does not allow extensions (it has no 'extension' rule)");
    }
    if (!isRequester()) {
      return Decision.deny("only the grant's holder can ask to extend it");
    }
    return Decision.allow("the holder may ask to extend a grant of profile '"
        + request.profile() + "'");
  }

  private Decision approver(String verb) {
    Optional<Profile> profile = profile();
    if (profile.isEmpty()) {
      return Decision.deny("profile '" + request.profile() + "' is no longer in the policy");
    }
    Condition.Outcome who = evaluator.approvers(principal, profile.get(), request.facts(), now);
    if (!who.value()) {
      return PolicyEvaluator.deny(who, "you are not an approver of profile '"
          + request.profile() + "'");
    }
    return Decision.allow("may " + verb + " requests for profile '" + request.profile() + "'");
  }

  private Optional<Profile> profile() {
    return evaluator.policy().profile(request.profile());
  }
}
