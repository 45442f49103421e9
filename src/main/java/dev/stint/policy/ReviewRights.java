package dev.stint.policy;

import dev.stint.identity.Person;
import dev.stint.identity.Principal;
import java.time.Instant;

/**
 * What one person may do with what access reviews decided, under one policy at one moment, each
 * answer a decision with its reason: today, lifting a suspension a review's removal made.
 *
 * <p>The right comes from the policy's roles; who the suspended person is only ever takes it away:
 * the same (issuer, subject) ({@link Person#is}), or possibly the same person by an email any
 * issuer can claim ({@link Person#mightBe}), which is harmless here because it can only refuse.
 */
public final class ReviewRights {
  private final PolicyEvaluator evaluator;
  private final Principal principal;
  private final Instant now;

  ReviewRights(PolicyEvaluator evaluator, Principal principal, Instant now) {
    this.evaluator = evaluator;
    this.principal = principal;
    this.now = now;
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
    if (!evaluator.isAdmin(principal, now)) {
      return Decision.deny("only admins restore eligibility a review suspended");
    }
    return Decision.allow("an admin may restore another person's eligibility");
  }
}
