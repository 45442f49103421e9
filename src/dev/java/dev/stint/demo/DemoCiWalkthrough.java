package dev.stint.demo;

/**
 * The walkthrough's CI steps: jobs of the demo repository, with job tokens from the demo's CI
 * issuer, exchanged under the demo policy's CI rules; a GitLab job's ID token by hand, a GitHub
 * job's token endpoint as stint's Action uses it, and docs/ci.md's GitLab job in gitlab-ci-local.
 */
final class DemoCiWalkthrough {
  /** The demo's repository, which the CI rules name (policies/demo/stint.yaml). */
  static final String REPOSITORY = "demo/app";

  /** The exchange of the GitLab job's token, and its credentials into this shell. */
  static final String GITLAB_EXCHANGE =
      "creds=\"$(bin/stint exchange demo-deploy --token-env STINT_ID_TOKEN)\" && eval \"$creds\"";

  /** The same exchange with a token the rules do not allow: refused, so nothing to evaluate. */
  static final String REFUSED_EXCHANGE =
      "bin/stint exchange demo-deploy --token-env STINT_ID_TOKEN";

  /** The Action's step (action.yml) as it runs in a job, in a shell of one's own. */
  static final String GITHUB_STEP =
      "GITHUB_ENV=\"$(mktemp)\" bin/stint exchange demo-deploy --format github-env"
          + " --token-env ACTIONS_ID_TOKEN_REQUEST_URL --audience stint";

  /**
   * Pinned: gitlab-ci-local's newest releases use JavaScript that older Node.js releases lack and
   * fail to start there; this one runs on them too (docs/demo.md).
   */
  static final String GITLAB_CI_LOCAL = "gitlab-ci-local@4.65.1";

  private DemoCiWalkthrough() {}

  static String text(DemoStack stack) {
    return String.join(
        "\n",
        "CI jobs, with no issuer of your own: the demo's CI issuer mints GitHub- and GitLab-shaped",
        "job tokens for any job you name, and the CI rules in policies/demo/stint.yaml give",
        "demo-deploy to the jobs of "
            + REPOSITORY
            + " on main. In a new terminal, from the checkout:",
        " 16. A GitLab job's ID token (what id_tokens: hands a job), exchanged for credentials:",
        "       export STINT_SERVER=" + stack.url(),
        "       " + gitlabToken(stack, "main"),
        "       " + GITLAB_EXCHANGE,
        "       " + awsCli(stack),
        "     Each token mints once: fetch another to run it again. A job of another branch is",
        "     refused, and carol's audit (credential.denied) names the rule that did not match:",
        "       " + gitlabToken(stack, "feature"),
        "       " + REFUSED_EXCHANGE + "     # refused: exit 3",
        "       " + deniedAudit(stack),
        " 17. A GitHub Actions job: stint's Action (action.yml) runs this step with what GitHub",
        "     gives a job with id-token: write; it prints only ::add-mask:: lines (the runner hides",
        "     those values in its log) and hands the credentials to later steps in $GITHUB_ENV:",
        "       " + actionsRequestUrl(stack),
        "       " + actionsRequestToken(stack),
        "       " + GITHUB_STEP,
        " 18. docs/ci.md's GitLab job, with the component from this checkout, in gitlab-ci-local",
        "     (Node.js and rsync; it runs the job in your shell, so stint and aws come from PATH):",
        "       " + gitlabCiLocal(stack));
  }

  /** A GitLab ID token of a job of the demo repository on {@code branch}, into STINT_ID_TOKEN. */
  static String gitlabToken(DemoStack stack, String branch) {
    return "export STINT_ID_TOKEN=\"$(" + gitlabTokenCurl(stack, branch) + ")\"";
  }

  private static String gitlabTokenCurl(DemoStack stack, String branch) {
    return "curl -s '"
        + stack.ciIssuer().uri()
        + "/dev/gitlab-token?project_path="
        + REPOSITORY
        + "&ref="
        + branch
        + "&aud=stint'";
  }

  /** The AWS CLI on the exported credentials (no profile), at the STS stand-in. */
  static String awsCli(DemoStack stack) {
    return "aws sts get-caller-identity --region us-east-1 --endpoint-url "
        + stack.standIns().sts().uri();
  }

  /** carol's look at the refusals: each names the CI rule that did not match. */
  static String deniedAudit(DemoStack stack) {
    return "STINT_TOKEN=\"$(curl -s '"
        + stack.idp().issuer()
        + "/dev/token?user=carol')\" bin/stint audit export --type credential.denied --since 1h";
  }

  /** GitHub's ID token URL of a job of the demo repository on main, as the runner sets it. */
  static String actionsRequestUrl(DemoStack stack) {
    return "export ACTIONS_ID_TOKEN_REQUEST_URL='"
        + stack.ciIssuer().uri()
        + "/dev/actions-id-token?repository="
        + REPOSITORY
        + "&ref=refs/heads/main'";
  }

  /** The request token that URL takes, as the runner sets it. */
  static String actionsRequestToken(DemoStack stack) {
    return "export ACTIONS_ID_TOKEN_REQUEST_TOKEN=\"$(curl -s "
        + stack.ciIssuer().uri()
        + "/dev/actions-request-token)\"";
  }

  /**
   * ci/demo/gitlab-ci.yml's job in gitlab-ci-local: its shell runs the job (there is no image to
   * pull), and the job's ID token, which gitlab-ci-local cannot mint, comes from the demo's issuer.
   */
  static String gitlabCiLocal(DemoStack stack) {
    return "PATH=\"$PWD/bin:$PATH\" npx --yes "
        + GITLAB_CI_LOCAL
        + " --file ci/demo/gitlab-ci.yml --force-shell-executor --variable STINT_SERVER="
        + stack.url()
        + " --variable STINT_ID_TOKEN=\"$("
        + gitlabTokenCurl(stack, "main")
        + ")\" --variable DEMO_STS_URL="
        + stack.standIns().sts().uri()
        + " deploy";
  }
}
