package dev.stint.activity;

import dev.stint.mint.ActivityLookup;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who made a call through a session AWS issued itself, as CloudTrail names the caller ({@code
 * userIdentity.arn} {@code arn:aws:sts::<account>:assumed-role/<role>/<session>}): the account, the
 * role's name and the session's name, which for an access portal or {@code aws sso login} session
 * is the Identity Center user's name. A call whose record says another account holds it ({@code
 * recipientAccountId}) than the caller's is none, and so is a session of any role but one Identity
 * Center provisioned ({@code AWSReservedSSO_…}): no portal access is looked for it. Pure.
 */
record PortalCaller(String account, String roleName, String sessionName) {
  private static final Pattern ASSUMED =
      Pattern.compile("arn:[a-z-]+:sts::(\\d{12}):assumed-role/([\\w+=,.@-]{1,64})/(.+)");

  /** {@code arn:PARTITION:iam::ACCOUNT:role/PATH/NAME}: a role's account and name. */
  private static final Pattern ROLE =
      Pattern.compile("arn:[a-z-]+:iam::(\\d{12}):role/(?:.*/)?([\\w+=,.@-]{1,64})");

  /** What every role Identity Center provisions is named, before the permission set's name. */
  private static final String PROVISIONED = "AWSReservedSSO_";

  /** The caller of {@code call}, when a session of a role Identity Center provisioned made it. */
  static Optional<PortalCaller> of(ActivityLookup.Call call) {
    if (call.callerArn().isEmpty()) {
      return Optional.empty();
    }
    Matcher m = ASSUMED.matcher(call.callerArn().get());
    if (!m.matches()
        || !m.group(2).startsWith(PROVISIONED)
        || call.account().filter(a -> !a.equals(m.group(1))).isPresent()) {
      return Optional.empty();
    }
    return Optional.of(new PortalCaller(m.group(1), m.group(2), m.group(3)));
  }

  /**
   * Whether this caller is a session of {@code roleArn} (an IAM role's ARN, its path and all) in
   * its account: the account and the role's name, which IAM keeps unique in an account whatever the
   * path, must both be the role's.
   */
  boolean on(String roleArn) {
    Matcher m = ROLE.matcher(roleArn);
    return m.matches() && m.group(1).equals(account) && m.group(2).equals(roleName);
  }
}
