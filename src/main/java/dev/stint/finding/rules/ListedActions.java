package dev.stint.finding.rules;

import dev.stint.policy.FindingRule;
import dev.stint.policy.RuleInForce;
import java.util.List;
import java.util.Optional;

/**
 * A rule that fires on any call of a listed action, made or only tried (a refused attempt shows the
 * intent as well): {@link #ESCAPE} and {@link #LOGGING_OFF}, with their lists from the public
 * detections named in docs/findings.md.
 */
public final class ListedActions implements Detector {
  /**
   * A credential or a login that outlives the revocation of the grant it was made with: the deny a
   * revocation writes on the role does not reach an IAM user's key, password or service credential,
   * nor a federation or session token made from the session.
   */
  public static final ListedActions ESCAPE =
      new ListedActions(
          FindingRule.ESCAPE,
          List.of(
              "sts:GetFederationToken",
              "sts:GetSessionToken",
              "iam:CreateAccessKey",
              "iam:CreateLoginProfile",
              "iam:UpdateLoginProfile",
              "iam:CreateUser",
              "iam:CreateServiceSpecificCredential"),
          "makes a credential or a login that a revocation of this access would not end");

  /** A log or a detector the account's monitoring relies on, stopped, deleted or narrowed. */
  public static final ListedActions LOGGING_OFF =
      new ListedActions(
          FindingRule.LOGGING_OFF,
          List.of(
              "cloudtrail:StopLogging",
              "cloudtrail:DeleteTrail",
              "cloudtrail:UpdateTrail",
              "cloudtrail:PutEventSelectors",
              "guardduty:DeleteDetector",
              "guardduty:UpdateDetector",
              "config:StopConfigurationRecorder",
              "config:DeleteConfigurationRecorder",
              "ec2:DeleteFlowLogs"),
          "stops, deletes or narrows a log or detector the account's monitoring relies on");

  private final FindingRule rule;
  private final Globs actions;
  private final String does;

  private ListedActions(FindingRule rule, List<String> actions, String does) {
    this.rule = rule;
    this.actions = new Globs(actions);
    this.does = does;
  }

  @Override
  public FindingRule rule() {
    return rule;
  }

  @Override
  public Optional<Hit> check(Judged judged, History history, RuleInForce.Limits limits) {
    Observed c = judged.call();
    if (!actions.matches(c.action())) {
      return Optional.empty();
    }
    return Optional.of(
        new Hit(
            rule,
            List.of(c.ref()),
            rule.id()
                + ": "
                + Sentences.call(c)
                + " "
                + does
                + ", one of the calls "
                + rule.id()
                + " watches for"
                + Sentences.outcome(c)
                + "."));
  }
}
