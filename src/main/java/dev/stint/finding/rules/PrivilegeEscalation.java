package dev.stint.finding.rules;

import dev.stint.policy.FindingRule;
import dev.stint.policy.RuleInForce;
import java.util.List;
import java.util.Optional;

/**
 * Changes to what an IAM identity may do or who may become it, made or tried; and a role handed to
 * compute being created ({@code iam:PassRole}). CloudTrail never logs {@code iam:PassRole} as a
 * call of its own: the pass shows on the create that needed it, as the role the create's request
 * names ({@code iamInstanceProfile} of {@code ec2:RunInstances}, {@code role} of {@code
 * lambda:CreateFunction}, a task role of {@code ecs:RunTask}, ...). So a create naming a role
 * fires; the same create naming none (an instance without a profile) does not.
 */
public final class PrivilegeEscalation implements Detector {
  private static final Globs CHANGES =
      new Globs(
          List.of(
              "iam:Attach*Policy",
              "iam:Put*Policy",
              "iam:CreatePolicyVersion",
              "iam:SetDefaultPolicyVersion",
              "iam:UpdateAssumeRolePolicy",
              "iam:AddUserToGroup"));

  /** Creates (and updates) of compute that run as the role they are handed. */
  private static final Globs COMPUTE =
      new Globs(
          List.of(
              "ec2:RunInstances",
              "ec2:AssociateIamInstanceProfile",
              "ec2:ReplaceIamInstanceProfileAssociation",
              "lambda:CreateFunction",
              "lambda:UpdateFunctionConfiguration",
              "ecs:RunTask",
              "ecs:StartTask",
              "glue:CreateDevEndpoint",
              "glue:UpdateDevEndpoint",
              "glue:CreateJob",
              "cloudformation:CreateStack",
              "cloudformation:UpdateStack",
              "sagemaker:CreateNotebookInstance",
              "codebuild:CreateProject",
              "codebuild:UpdateProject"));

  @Override
  public FindingRule rule() {
    return FindingRule.PRIVILEGE_ESCALATION;
  }

  @Override
  public Optional<Hit> check(Judged judged, History history, RuleInForce.Limits limits) {
    Observed c = judged.call();
    String what;
    if (CHANGES.matches(c.action())) {
      what = "changes the policies or the trust of an IAM identity";
    } else if (COMPUTE.matches(c.action()) && c.namedRole().isPresent()) {
      what =
          "hands the role "
              + c.namedRole().get()
              + " to the compute it creates (iam:PassRole): the compute then acts as that role";
    } else {
      return Optional.empty();
    }
    return Optional.of(
        new Hit(
            rule(),
            List.of(c.ref()),
            rule().id()
                + ": "
                + Sentences.call(c)
                + " "
                + what
                + ", one of the calls privilege_escalation watches for"
                + Sentences.outcome(c)
                + "."));
  }
}
