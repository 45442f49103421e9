package dev.stint.access;

/**
 * One stage of a request's approval as it was when the request was filed: its name, how many
 * distinct approvers decide it, and whether its {@code skip_if} held then. Stored with the request,
 * so a later change of the policy never moves a request's approvals.
 */
public record ApprovalStage(String name, int count, boolean skipped) {

  public ApprovalStage {
    if (count < 0) {
      throw new IllegalArgumentException("a stage's count is never negative");
    }
  }
}
