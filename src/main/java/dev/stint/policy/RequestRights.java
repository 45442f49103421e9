package dev.stint.policy;

import dev.stint.common.Durations;
import dev.stint.identity.Person;
import dev.stint.identity.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;

/**
 * What one person may do with one filed request, under one policy at one moment: every "may" about
 * a request is answered here, each with a reason, and nowhere else. Whether the request is in a
 * state for the action (pending, approved, awaiting review) is the state machines' part.
 *
 * <p>Rights come from the verified (issuer, subject) ({@link Person#is}); an email shared with the
 * requester only ever takes rights away ({@link Person#mightBe}). A request whose profile has since
 * left the policy can no longer be approved, but its requester and admins can still see and revoke
 * it.
 */
public final class RequestRights {
  /** How recent a sign-in must be for a step-up profile's decisions. */
  public static final Duration STEP_UP_WINDOW = Duration.ofMinutes(10);

  /** A sign-in time this far ahead of stint's clock is still believed. */
  private static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

  private final Roles roles;
  private final Principal principal;
  private final FiledRequest request;
  private final Instant now;

  RequestRights(Roles roles, Principal principal, FiledRequest request, Instant now) {
    this.roles = roles;
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

  /**
   * Requesters see their own requests, approvers those they may decide, admins and auditors all.
   */
  public Decision maySee() {
    if (isRequester()) {
      return Decision.allow("your own request");
    }
    if (isApprover()) {
      return Decision.allow("an approver of profile '" + request.profile() + "'");
    }
    if (!mightBeRequester() && decider("see").allowed()) {
      return Decision.allow("an escalation approver of profile '" + request.profile() + "'");
    }
    if (roles.isAdmin(principal, now)) {
      return Decision.allow("among the admins");
    }
    if (roles.isAuditor(principal, now)) {
      return Decision.allow("among the auditors");
    }
    return Decision.deny(
        "only the requester, an approver of profile '"
            + request.profile()
            + "', an admin or an auditor may see this request");
  }

  /**
   * Never their own request, whatever the policy says; else the profile's approvers, or once the
   * request has waited long enough those its escalation admits; for a step-up profile only after a
   * fresh sign-in.
   */
  public Decision mayApprove() {
    if (mightBeRequester()) {
      return Decision.deny("a requester can never approve their own request");
    }
    return fresh(decider("approve"));
  }

  /** As {@link #mayApprove}: one approver's no is enough, and the requester cancels instead. */
  public Decision mayDeny() {
    if (mightBeRequester()) {
      return Decision.deny("a requester can never deny their own request; they cancel it");
    }
    return fresh(decider("deny"));
  }

  /**
   * Someone whose vote would count once they have signed in afresh where the profile needs it: not
   * the requester, and an approver or an escalation approver now. For naming who can approve.
   */
  public boolean couldApprove() {
    return !mightBeRequester() && decider("approve").allowed();
  }

  /**
   * Why an approver of a step-up profile may not decide yet: their identity was not verified afresh
   * (the token's {@code auth_time}) within {@link #STEP_UP_WINDOW}. Empty when the profile has no
   * step-up, the caller is no approver anyway, or the sign-in is fresh.
   */
  public Optional<String> stepUpNeeded() {
    if (mightBeRequester() || !decider("decide").allowed()) {
      return Optional.empty();
    }
    return freshSignInNeeded();
  }

  /**
   * As {@link #stepUpNeeded}, whoever the caller is: for a vote that counts by a rule of its own (a
   * holder's on the task lease their enrolled agent asked), held to the same fresh sign-in on a
   * step-up profile. Empty when the profile has no step-up or the sign-in is fresh.
   */
  Optional<String> freshSignInNeeded() {
    boolean stepUp = profile().map(p -> p.approval().stepUp()).orElse(false);
    if (!stepUp) {
      return Optional.empty();
    }
    Optional<Instant> signedIn = authTime(principal.claims().get("auth_time"));
    if (signedIn.isPresent()
        && !signedIn.get().isBefore(now.minus(STEP_UP_WINDOW))
        && !signedIn.get().isAfter(now.plus(CLOCK_SKEW))) {
      return Optional.empty();
    }
    return Optional.of(
        "profile '"
            + request.profile()
            + "' needs a fresh sign-in to decide"
            + " (step-up): sign in again and decide within "
            + STEP_UP_WINDOW.toMinutes()
            + " minutes"
            + (signedIn.isEmpty() ? "; this identity carries no sign-in time" : ""));
  }

  /** A step-up profile's approver decides only with a fresh sign-in. */
  private Decision fresh(Decision approver) {
    if (!approver.allowed()) {
      return approver;
    }
    return stepUpNeeded().map(Decision::deny).orElse(approver);
  }

  /**
   * An approver of the profile, in any of its stages, who is not and might not be the requester.
   */
  private boolean isApprover() {
    if (mightBeRequester()) {
      return false;
    }
    Optional<Profile> profile = profile();
    return profile.isPresent()
        && profile.get().approval().stages().stream().anyMatch(s -> approves(profile.get(), s));
  }

  private boolean approves(Profile profile, Stage stage) {
    return roles.approvers(principal, profile, stage, request.facts(), now).value();
  }

  /**
   * Why this person's vote cannot count yet: they approve in a stage that opens only after the open
   * one, and may not decide the open one. Empty otherwise (no stage is open, they may decide it, or
   * they approve in no stage to come).
   */
  public Optional<String> stageNotOpen() {
    Optional<Profile> profile = profile();
    Optional<FiledRequest.OpenStage> open = request.stage();
    if (profile.isEmpty() || open.isEmpty() || mightBeRequester() || decider("vote").allowed()) {
      return Optional.empty();
    }
    return open.get().waiting().stream()
        .filter(
            name ->
                profile
                    .get()
                    .approval()
                    .stage(name)
                    .filter(s -> approves(profile.get(), s))
                    .isPresent())
        .findFirst()
        .map(
            name ->
                "you approve in stage '"
                    + name
                    + "', which opens after stage '"
                    + open.get().name()
                    + "' is approved");
  }

  /** OIDC's auth_time: seconds since the epoch, however the token's JSON was read. */
  private static Optional<Instant> authTime(Object claim) {
    if (claim instanceof Number n) {
      return Optional.of(Instant.ofEpochSecond(n.longValue()));
    }
    if (claim instanceof Date d) {
      return Optional.of(d.toInstant());
    }
    return Optional.empty();
  }

  /** Only the requester withdraws their request. */
  public Decision mayCancel() {
    return isRequester()
        ? Decision.allow("the requester may cancel their own request")
        : Decision.deny("only the requester can cancel a request");
  }

  /** The requester, the profile's approvers and the admins may end a grant early. */
  public Decision mayRevoke() {
    if (isRequester()) {
      return Decision.allow("the requester may end their own grant");
    }
    if (isApprover()) {
      return Decision.allow("an approver of profile '" + request.profile() + "' may revoke");
    }
    if (roles.isAdmin(principal, now)) {
      return Decision.allow("an admin may revoke any grant");
    }
    return Decision.deny(
        "you may not revoke this grant (only its requester, an approver of"
            + " profile '"
            + request.profile()
            + "' or an admin may)");
  }

  /**
   * A break-glass use is reviewed by an approver of its profile's last stage (the one whose yes
   * would have granted it) or an admin, never its user.
   */
  public Decision mayReview() {
    if (mightBeRequester()) {
      return Decision.deny("you cannot review your own break-glass use");
    }
    Optional<Profile> profile = profile();
    if (profile.isPresent() && approves(profile.get(), profile.get().approval().last())) {
      return Decision.allow("an approver of profile '" + request.profile() + "' may review");
    }
    if (roles.isAdmin(principal, now)) {
      return Decision.allow("an admin may review any grant");
    }
    return Decision.deny("you may not review grants for " + request.profile());
  }

  /** Only the grant's holder asks to extend it, and only when the profile has an extension rule. */
  public Decision mayExtend() {
    boolean extensible = profile().flatMap(Profile::extension).isPresent();
    if (!extensible) {
      return Decision.deny(
          "profile '"
              + request.profile()
              + "' does not allow extensions (it has no 'extension' rule)");
    }
    if (!isRequester()) {
      return Decision.deny("only the grant's holder can ask to extend it");
    }
    return Decision.allow(
        "the holder may ask to extend a grant of profile '" + request.profile() + "'");
  }

  /**
   * An approver of the deciding stage, or else someone its {@code escalate_to} admits once the
   * request has waited {@code escalate_after} in that stage. The requester is refused by every
   * caller before this is asked.
   */
  private Decision decider(String verb) {
    Decision approver = approver(verb);
    Optional<Profile> profile = profile();
    Optional<Escalation> escalation = profile.flatMap(request::deciding).flatMap(Stage::escalation);
    if (approver.allowed() || escalation.isEmpty()) {
      return approver;
    }
    Condition.Evaluation who =
        roles.escalatedApprovers(principal, profile.get(), escalation.get(), request.facts(), now);
    if (!who.value()) {
      return approver;
    }
    if (roles.escalated(request, now).isEmpty()) {
      return Decision.deny(
          "you are an escalation approver of "
              + where()
              + ", but this request escalates only at "
              + request.waitingSince().plus(escalation.get().after()));
    }
    return Decision.allow(
        "may "
            + verb
            + " requests for "
            + where()
            + ": escalated to you after "
            + Durations.format(escalation.get().after()));
  }

  private Decision approver(String verb) {
    Optional<Profile> profile = profile();
    if (profile.isEmpty()) {
      return Decision.deny("profile '" + request.profile() + "' is no longer in the policy");
    }
    Optional<Stage> stage = request.deciding(profile.get());
    if (stage.isEmpty()) {
      return Decision.deny(where() + " is no longer in the policy");
    }
    Condition.Evaluation who =
        roles.approvers(principal, profile.get(), stage.get(), request.facts(), now);
    if (!who.value()) {
      return Roles.deny(who, "you are not an approver of " + where());
    }
    return Decision.allow("may " + verb + " requests for " + where());
  }

  /** The profile, and the open stage when the approval has stages. */
  private String where() {
    String profile = "profile '" + request.profile() + "'";
    return request
        .stage()
        .filter(s -> !s.name().equals(Stage.SINGLE))
        .map(s -> "stage '" + s.name() + "' of " + profile)
        .orElse(profile);
  }

  private Optional<Profile> profile() {
    return roles.policy().profile(request.profile());
  }
}
