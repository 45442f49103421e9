package dev.stint.demo;

import dev.stint.cloud.AccountAssignment;
import java.net.URI;

/**
 * Step 15 of the walkthrough: an IAM Identity Center grant. alice requests demo-portal and bob
 * approves; stint assigns its permission set to alice's Identity Center user, which the request
 * shows ({@code assignment: created}); {@code stint setup aws} writes the sso profile for it; alice
 * takes a session from the access portal (the demo's stand-in, as {@code aws sso} would), which
 * reads the demo bucket; the revoke deletes the assignment, so the portal gives her no more, and
 * the deny stint wrote into the account's policy that the permission set references (AWS refuses
 * writes to the role itself) refuses the session she took before it.
 */
final class DemoPortalWalkthrough {
  /** The walkthrough's identity_center profile, in the shipped demo policy. */
  static final String PROFILE = "demo-portal";

  private DemoPortalWalkthrough() {}

  /** The access token {@code aws sso login} would cache for alice, from the portal stand-in. */
  static String signIn(DemoIdentityCenter ic) {
    return "SSO_TOKEN=\"$(curl -s '"
        + ic.portal().tokens()
        + "?user="
        + DevUser.named("alice").orElseThrow().email()
        + "')\"";
  }

  /** The portal's GetRoleCredentials for alice's permission set, through the AWS CLI. */
  static String roleCredentials(DemoIdentityCenter ic) {
    AccountAssignment a = ic.assignment();
    return "aws sso get-role-credentials --role-name "
        + a.permissionSetName().orElseThrow()
        + " --account-id "
        + a.accountId()
        + " --access-token \"$SSO_TOKEN\" --region us-east-1 --endpoint-url "
        + ic.portal().uri();
  }

  /** The same call's credentials, kept in the shell as a script that copied them would. */
  static String keepPortalKeys(DemoIdentityCenter ic) {
    return "eval \"$("
        + roleCredentials(ic)
        + " --query 'roleCredentials.[accessKeyId,secretAccessKey,sessionToken]' --output text"
        + " | awk '{print \"export AWS_ACCESS_KEY_ID=\" $1 \" AWS_SECRET_ACCESS_KEY=\" $2"
        + " \" AWS_SESSION_TOKEN=\" $3}')\"";
  }

  static String text(DemoStack stack) {
    if (stack.standIns().identityCenter().isEmpty()) {
      return " 15. (This demo policy has no identity_center profile: no IAM Identity Center step.)";
    }
    DemoIdentityCenter ic = stack.standIns().identityCenter().get();
    AccountAssignment a = ic.assignment();
    String kept = DemoBucket.listWithKeysInEnvironment(stack.standIns().s3());
    URI ui = stack.url().resolve("/ui");
    return String.join(
        "\n",
        " 15. IAM Identity Center: a grant of "
            + PROFILE
            + " is an account assignment of the permission set "
            + a.permissionSetName().orElseThrow()
            + ",",
        "     not keys. As alice again in step 4's terminal (step 13 left carol's token there):",
        "       export STINT_TOKEN=\"$(curl -s '"
            + stack.idp().issuer()
            + "/dev/token?user=alice')\"",
        "       bin/stint request " + PROFILE + " --duration 30m --reason audit",
        "     bob approves it on its page from " + ui + "/approvals, or here with his token:",
        "       STINT_TOKEN=\"$(curl -s '"
            + stack.idp().issuer()
            + "/dev/token?user=bob')\" bin/stint approve ID",
        "     stint assigns it in account "
            + a.accountId()
            + " to alice's Identity Center user, found by the email her",
        "     IdP verified ("
            + DevUser.named("alice").orElseThrow().email()
            + "); within seconds the request shows it:",
        "       bin/stint show ID   # assignment: created",
        "     setup writes its profile for the access portal, [profile "
            + PROFILE
            + "] with sso_session = stint",
        "     (" + ic.startUrl() + "), and says to sign in with aws sso login:",
        "       " + DemoWalkthrough.SETUP_AWS,
        "       aws configure get sso_role_name --profile " + PROFILE,
        "     The demo's access portal is a stand-in: take alice's session from it as aws sso would,",
        "     and keep its keys; they read the bucket:",
        "       " + signIn(ic),
        "       " + keepPortalKeys(ic),
        "       " + kept,
        "     Revoke the grant (bin/stint revoke ID): stint deletes the assignment, so the portal",
        "     gives alice no new session, and denies the sessions of the permission set's role she",
        "     took before the revoke. AWS refuses writes to that role (UnmodifiableEntity), so the",
        "     deny is a new version of /stint/stint-portal-revocations, the account's policy the",
        "     permission set references; within seconds the kept keys are refused:",
        "       " + kept + "   # AccessDenied",
        "       " + roleCredentials(ic) + "   # ForbiddenException: No access",
        "       " + DemoWalkthrough.DROP_KEYS);
  }
}
