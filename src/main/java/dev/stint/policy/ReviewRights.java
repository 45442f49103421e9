package dev.stint.policy;

import dev.stint.identity.Person;
import dev.stint.identity.Principal;
import java.time.Instant;
import java.util.Optional;

/**
 * What one person may do with access reviews under one policy at one moment, each answer a decision
 * with its reason: open one, read one, decide its items, lift a suspension a removal made. Whether
 * the review is open or an item still undecided is the review's own state, not a right.
 *
 * <p>The rights come from the policy's roles (admins, auditors) and each profile's {@code
 * access_review} {@code reviewers} rule under the policy in force; who a person under review is
 * only ever takes them away: the same (issuer, subject) ({@link Person#is}), or possibly the same
 * person by an email any issuer can claim ({@link Person#mightBe}), which is harmless here because
 * it can only refuse.
 */
public final class ReviewRights {
  private final Roles roles;
  private final Principal principal;
  private final Instant now;

  ReviewRights(Roles roles, Principal principal, Instant now) {
    this.roles = roles;
    this.principal = principal;
    this.now = now;
  }

  /** Reviews are opened on demand by admins only (the schedule opens the others). */
  public Decision mayOpen() {
    return roles.isAdmin(principal, now)
        ? Decision.allow("an admin may open an access review")
        : Decision.deny("only admins open access reviews on demand");
  }

  /** Admins and auditors read every review; nobody else reads all of them. */
  public Decision mayReadAll() {
    if (roles.isAdmin(principal, now)) {
      return Decision.allow("an admin reads every access review");
    }
    if (roles.isAuditor(principal, now)) {
      return Decision.allow("an auditor reads every access review");
    }
    return Decision.deny("only admins and auditors read every access review");
  }

  /**
   * The reviews of {@code profile}: admins and auditors, and the profile's reviewers under the
   * policy in force (none for a profile no longer in it). A review one may not read is answered as
   * one that does not exist.
   */
  public Decision mayRead(String profile) {
    Decision all = mayReadAll();
    if (all.allowed()) {
      return all;
    }
    return isReviewer(profile)
        ? Decision.allow("a reviewer of profile " + profile)
        : Decision.deny(
            "only admins, auditors and the reviewers of profile " + profile + " read its reviews");
  }

  /**
   * Deciding in a review of {@code profile}: its reviewers under the policy in force, whatever else
   * the person is. Who may not read the review is answered as if it did not exist ({@link
   * #mayRead}); this reason is for those who may.
   */
  public Decision mayDecideIn(String profile) {
    return isReviewer(profile)
        ? Decision.allow("a reviewer of profile " + profile)
        : Decision.deny(
            "you are not a reviewer of profile "
                + profile
                + " (its access_review's reviewers rule)");
  }

  /**
   * Nobody decides their own item, whatever the policy says: not the same (issuer, subject), and
   * not possibly the same person through another issuer with the same email.
   */
  public Decision mayDecide(Person listed) {
    String who = listed.subject() + " of " + listed.issuer();
    return listed.mightBe(principal.person())
        ? Decision.deny("nobody decides their own eligibility: " + who + " is you")
        : Decision.allow("a reviewer decides another person's item");
  }

  /**
   * Nobody lifts their own suspension, whatever the policy says, as nobody decides their own review
   * item; else the admins may. Asked with the person as named (before anything is read, so who may
   * not restore learns nothing of suspensions) and again as the review that suspended them listed
   * them, with the email it knew.
   */
  public Decision mayRestore(Person suspended) {
    String who = suspended.subject() + " of " + suspended.issuer();
    if (suspended.is(principal.person())) {
      return Decision.deny("nobody restores their own eligibility: " + who + " is you");
    }
    if (suspended.mightBe(principal.person())) {
      return Decision.deny(
          "nobody restores their own eligibility: "
              + who
              + " has your email, through another issuer");
    }
    if (!roles.isAdmin(principal, now)) {
      return Decision.deny("only admins restore eligibility a review suspended");
    }
    return Decision.allow("an admin may restore another person's eligibility");
  }

  private boolean isReviewer(String profile) {
    Optional<Profile> p = roles.policy().profile(profile);
    return p.isPresent() && roles.isReviewer(principal, p.get(), now);
  }
}
