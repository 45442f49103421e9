package dev.stint.demo;

import java.net.URI;

/** What {@code stint demo} prints once everything listens: where things are, and a tour. */
public final class DemoWalkthrough {
  /** Writes the demo's AWS profiles (demo-portal's for the access portal) into the AWS config. */
  static final String SETUP_AWS = "bin/stint setup aws --yes --region us-east-1";

  private DemoWalkthrough() {}

  /**
   * The AWS CLI call that reaches the STS stand-in with credentials from stint ({@code
   * --endpoint-url}: every AWS CLI v2 honours it, unlike the per-service endpoint variables).
   */
  static String awsCli(DemoStack stack) {
    return "AWS_PROFILE=demo-admin aws sts get-caller-identity --endpoint-url "
        + stack.standIns().sts().uri();
  }

  public static String text(DemoStack stack) {
    URI ui = stack.url().resolve("/ui");
    return String.join(
        "\n",
        "",
        "stint demo is running. DEVELOPMENT ONLY: its identity provider signs anyone in as",
        "alice, bob or carol without a password; its AWS, Slack, PagerDuty and Jira are local",
        "stand-ins.",
        "",
        addresses(stack),
        "A two-minute tour:",
        "  1. Open " + ui + " and sign in as alice on the development sign-in page.",
        "     To get her own messages in Slack, click Slack in the header, give U0ALICE and type",
        "     back the code shown at "
            + stack.standIns().slack().uri()
            + "/?as=U0ALICE, where they then arrive.",
        "  2. Request demo-admin for 30m with any reason. Two of the sre group must approve.",
        "  3. In a private window, open " + ui + "/approvals, sign in as bob and approve.",
        "     Then in another private window sign in as carol and approve: alice now holds a grant.",
        "     (alice's own request shows her no approve button: nobody approves their own request.)",
        "     Or approve from chat: open "
            + stack.standIns().slack().uri()
            + "/?as=U0BOB (bob has signed in,",
        "     so stint knows his email) and press Approve on the message in #approvals.",
        cliStep(stack),
        "  5. On the request's page (" + ui + "/requests/ID) open the console: the AWS sign-in",
        "     stand-in shows \""
            + SigninStandIn.CONSOLE_TITLE
            + "\". (CLI: bin/stint console demo-admin)",
        "     Need longer? Extend on the same page asks for more time; bob and carol approve it",
        "     like the request (at most 2h in total).",
        revokeStep(stack),
        onCallSteps(stack),
        narrowedStep(stack),
        leaseStep(stack),
        findingStep(stack),
        DemoAgentWalkthrough.text(stack),
        reviewStep(stack),
        " 14. Sign in as carol and open "
            + ui
            + "/audit: every step above is recorded there, and the",
        "     findings of every request at " + ui + "/findings.",
        DemoPortalWalkthrough.text(stack),
        "",
        DemoCiWalkthrough.text(stack),
        "",
        stack.kept()
            ? "Ctrl-C stops the demo; its database, keys and CLI login stay in "
                + stack.workDir()
                + " for the next run (delete it to start over)."
            : "Ctrl-C stops the demo and deletes its database and keys.",
        "");
  }

  /** Step 4: the CLI, then the AWS CLI through it: STS says who, S3 lists the demo bucket. */
  private static String cliStep(DemoStack stack) {
    URI idp = stack.idp().issuer();
    String cliHome = stack.workDir().resolve("cli").toString();
    return String.join(
        "\n",
        "  4. Fetch AWS credentials as alice with the CLI, in another terminal:",
        "       export STINT_SERVER="
            + stack.url()
            + " XDG_CONFIG_HOME="
            + cliHome
            + "/config XDG_CACHE_HOME="
            + cliHome
            + "/cache AWS_CONFIG_FILE="
            + cliHome
            + "/aws-config",
        "       bin/stint login --browser --no-open     # open the URL it prints, pick alice",
        "       bin/stint credentials demo-admin",
        "     Without a browser for the CLI, use a token from the dev IdP instead of logging in:",
        "       export STINT_TOKEN=\"$(curl -s '" + idp + "/dev/token?user=alice')\"",
        "     Then the AWS CLI asks stint for them (setup writes the demo's AWS_CONFIG_FILE above,",
        "     not ~/.aws/config) and STS answers who they make you: demo-admin, alice's session:",
        "       " + SETUP_AWS,
        "       " + awsCli(stack),
        "     and S3, judging the call by demo-admin's policies as IAM would, lists the demo bucket:",
        "       " + DemoBucket.list(stack.standIns().s3(), "demo-admin"),
        "     Reading the bucket is an S3 data event, which CloudTrail's event history never holds:",
        "     the demo's EventBridge pushes it to stint at once, and it shows under Activity on the",
        "     request's page (CLI: bin/stint activity ID), which says what stint can see. The STS",
        "     call joins it once stint finds it in the demo's CloudTrail, within a minute or two.");
  }

  /**
   * Step 6: keys a script kept from the grant are refused by S3 once it is revoked, and stint
   * serves none. The keys are kept in the shell ({@code stint env}): through {@code AWS_PROFILE}
   * the AWS CLI runs {@code stint credentials} at every call, which stops serving the revoked
   * grant's keys (at once after {@code stint revoke} here, within its cache's check interval after
   * a revoke elsewhere), so only kept keys reach S3 every time.
   */
  private static String revokeStep(DemoStack stack) {
    return String.join(
        "\n",
        "  6. Keep alice's keys in this shell, as a script that copied them would, and use them:",
        "       " + KEEP_ADMIN_KEYS,
        "       " + DemoBucket.listWithKeysInEnvironment(stack.standIns().s3()),
        "     Revoke the grant on the request's page (CLI: bin/stint revoke ID). Within seconds",
        "     the IAM stand-in holds the deny that ends live sessions, and the same line is refused:",
        "       "
            + DemoBucket.listWithKeysInEnvironment(stack.standIns().s3())
            + "   # AccessDenied",
        "     Nor does stint serve the grant's keys any more: with AWS_PROFILE=demo-admin the AWS",
        "     CLI reports that stint has no grant (after bin/stint revoke at once; after a revoke",
        "     elsewhere within a minute, and S3 refuses the keys until then). Drop the kept keys:",
        "       " + DROP_KEYS);
  }

  /** Exports demo-admin's keys into the shell, as a script holding them would. */
  static final String KEEP_ADMIN_KEYS = "eval \"$(bin/stint env demo-admin)\"";

  /** Exports demo-oncall's keys into the shell. */
  static final String KEEP_ONCALL_KEYS = "eval \"$(bin/stint env demo-oncall)\"";

  /** Forgets keys kept in the shell, so AWS_PROFILE decides again. */
  static final String DROP_KEYS =
      "unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_CREDENTIAL_EXPIRATION";

  /** Steps 7 and 8: approved at once while on call, and revoked by stint when the ticket closes. */
  private static String onCallSteps(DemoStack stack) {
    return String.join(
        "\n",
        "  7. alice is on call in the demo's PagerDuty and "
            + DemoStack.TICKET
            + " in its Jira is hers, so demo-oncall",
        "     is hers at once (on the web page with ticket "
            + DemoStack.TICKET
            + ", or in step 4's terminal):",
        "       " + requestOnCall(),
        "     Without that ticket, or by bob (not on call), it waits for one of sre.",
        "     Keep its keys as in step 6; they read the bucket:",
        "       " + KEEP_ONCALL_KEYS,
        "       " + DemoBucket.listWithKeysInEnvironment(stack.standIns().s3()),
        "  8. Close " + DemoStack.TICKET + " on the Jira page, or:",
        "       " + closeTicket(stack),
        "     Within half a minute stint revokes alice's grant itself: grant.revoked names the ticket,",
        "     and from then on the kept keys are refused:",
        "       "
            + DemoBucket.listWithKeysInEnvironment(stack.standIns().s3())
            + "   # AccessDenied",
        "     Hand the pager to bob on the PagerDuty page, or:",
        "       " + handOver(stack, "bob"));
  }

  /**
   * The AWS profile of step 9, as {@code stint setup aws} names a narrowed grant's: the stint
   * profile and the bucket it was asked for.
   */
  static final String NARROWED_AWS_PROFILE = "demo-bucket-read." + DemoBucket.NAME;

  /**
   * Step 9: a narrowed grant. The request names the bucket; the approver sees it and the session
   * policy it fills before approving; {@code stint setup aws} then writes an AWS profile for the
   * grant, named for its bucket; its keys read that bucket, and S3 refuses them the other although
   * the role reads both.
   */
  private static String narrowedStep(DemoStack stack) {
    URI ui = stack.url().resolve("/ui");
    String params = " demo-bucket-read --param bucket=" + DemoBucket.NAME;
    return String.join(
        "\n",
        "  9. A narrowed grant reads only the bucket named in its request. As alice:",
        "       bin/stint request" + params + " --duration 30m --reason report",
        "     bob sees the bucket and the session policy it fills on its page from "
            + ui
            + "/approvals",
        "     (or bin/stint show ID) and approves it there, or here with his token:",
        "       STINT_TOKEN=\"$(curl -s '"
            + stack.idp().issuer()
            + "/dev/token?user=bob')\" bin/stint approve ID",
        "     Then an AWS profile for the grant, "
            + NARROWED_AWS_PROFILE
            + " (stint credentials"
            + params
            + "):",
        "       bin/stint setup aws",
        "     They list "
            + DemoBucket.NAME
            + "; the role may read "
            + DemoBucket.OTHER
            + " too, but not with this grant:",
        "       " + DemoBucket.listAs(stack.standIns().s3(), DemoBucket.NAME, NARROWED_AWS_PROFILE),
        "       "
            + DemoBucket.listAs(stack.standIns().s3(), DemoBucket.OTHER, NARROWED_AWS_PROFILE)
            + "   # AccessDenied");
  }

  /** The AWS profile step 10's lease writes for the agent. */
  static final String AGENT_AWS_PROFILE = "demo-agent";

  /** The task of step 10's lease, as its holder states it. */
  static final String AGENT_TASK = "agent: list the " + DemoBucket.NAME + " bucket";

  /**
   * The agent's keys, kept in the shell as a script that copied them would keep them ({@code
   * --profile}: it wins over keys an earlier step kept there).
   */
  static final String KEEP_AGENT_KEYS =
      "eval \"$(aws configure export-credentials --profile "
          + AGENT_AWS_PROFILE
          + " --format env)\"";

  /**
   * Step 10: a task lease of step 9's grant for a scripted agent. The agent's profile mints with
   * the lease's token alone; revoking the lease denies the agent's live sessions (kept keys are
   * refused by S3, judged by the role's deny policy that stint's revocation writes) and its profile
   * mints no more, while the grant's own profile still reads the bucket: the lease is revoked
   * alone.
   */
  private static String leaseStep(DemoStack stack) {
    String agent = DemoBucket.listAs(stack.standIns().s3(), DemoBucket.NAME, AGENT_AWS_PROFILE);
    String kept = DemoBucket.listWithKeysInEnvironment(stack.standIns().s3());
    return String.join(
        "\n",
        " 10. A task lease: alice hands a scripted agent step 9's grant for one task, for less time",
        "     than the grant, revocable on its own. With step 9's request ID:",
        "       bin/stint lease create ID --task \""
            + AGENT_TASK
            + "\" --duration 15m --aws-profile "
            + AGENT_AWS_PROFILE,
        "     It prints the lease's id (LEASE, lse_...) and writes [profile "
            + AGENT_AWS_PROFILE
            + "]: its",
        "     credential_process mints with the lease's token alone, no login. The agent lists:",
        "       " + agent,
        "     and keeps its keys, as a script that copied them would:",
        "       " + KEEP_AGENT_KEYS,
        "       " + kept,
        "     The lease's task, policy and credentials: "
            + stack.url().resolve("/ui/leases/")
            + "LEASE, or",
        "       bin/stint lease show LEASE",
        "     Revoke the lease alone: within seconds the IAM stand-in denies its sessions, so the",
        "     agent's kept keys are refused and its profile mints no more (revoke deleted the token",
        "     file), while alice's own grant still reads the bucket:",
        "       bin/stint lease revoke LEASE",
        "       " + kept + "   # AccessDenied",
        "       " + agent + "   # refused by stint",
        "       " + DemoBucket.listAs(stack.standIns().s3(), DemoBucket.NAME, NARROWED_AWS_PROFILE),
        "       " + DROP_KEYS);
  }

  /** The task of step 11's lease, whose agent oversteps. */
  static final String ESCAPE_TASK = "agent: tidy the " + DemoBucket.NAME + " bucket";

  /**
   * What step 11's agent tries with its kept keys: a key of an IAM user's own, which no revoke of
   * the lease would end.
   */
  static String createAccessKey(DemoStack stack) {
    return "aws iam create-access-key --user-name agent-backdoor --region us-east-1 --endpoint-url "
        + stack.standIns().iam().uri();
  }

  /**
   * Step 11: a finding. A second lease of step 9's grant; its agent, with its kept keys, tries
   * {@code iam:CreateAccessKey}; IAM refuses it (the lease's policy allows no IAM call), CloudTrail
   * records the attempt and EventBridge pushes it; stint raises {@code escape}, which
   * demo-bucket-read's policy ends the lease for: the kept keys are refused, the finding is on the
   * lease's page and in Slack.
   */
  private static String findingStep(DemoStack stack) {
    return String.join(
        "\n",
        " 11. A finding: an agent that oversteps. Lease step 9's grant (ID) to the agent again:",
        "       bin/stint lease create ID --task \""
            + ESCAPE_TASK
            + "\" --duration 15m --aws-profile "
            + AGENT_AWS_PROFILE,
        "     It prints the new lease's id (LEASE). The agent keeps its keys, then tries to make",
        "     itself a key of an IAM user's, which no revoke of the lease would end:",
        "       " + KEEP_AGENT_KEYS,
        "       " + createAccessKey(stack) + "   # AccessDenied",
        "     IAM refuses it and CloudTrail records the attempt, which the demo's EventBridge",
        "     pushes to stint at once: within seconds stint raises the finding escape and, as",
        "     demo-bucket-read's policy says (findings: {rules: {escape: {action: end}}}), ends the",
        "     lease, so its kept keys are refused and its profile mints no more:",
        "       "
            + DemoBucket.listWithKeysInEnvironment(stack.standIns().s3())
            + "   # AccessDenied",
        "     The finding is on the lease's page, "
            + stack.url().resolve("/ui/leases/")
            + "LEASE, its call marked",
        "     in the activity; in #approvals at "
            + stack.standIns().slack().uri()
            + "/ (and alice's direct messages,",
        "     if she linked Slack in step 1); and here:",
        "       bin/stint findings LEASE",
        "       " + DROP_KEYS);
  }

  /** The person step 13's review removes, as the review names her (her dev IdP email). */
  static final String REVIEWED = "alice@demo.stint.invalid";

  /**
   * Step 13: an access review of demo-admin. carol, its reviewer and the demo's admin, opens one
   * now; it lists alice with the evidence of the steps above and a suggestion; carol removes her,
   * which revokes her live grants of it and refuses her next request naming the review, until an
   * admin restores her eligibility (by her issuer and subject, the dev IdP's login).
   */
  private static String reviewStep(DemoStack stack) {
    URI idp = stack.idp().issuer();
    return String.join(
        "\n",
        " 13. An access review: the security group (carol) reviews who may still request",
        "     demo-admin; carol, the demo's admin, opens one now in step 4's terminal:",
        "       export STINT_TOKEN=\"$(curl -s '" + idp + "/dev/token?user=carol')\"",
        "       bin/stint access-review open demo-admin",
        "     It prints the review's id (REVIEW, rvw_...). Its one person is alice: her grants,",
        "     last credential and calls from the steps above, with a suggestion, keep or remove:",
        "       bin/stint access-review show REVIEW",
        "     carol decides on " + stack.url().resolve("/ui/access-reviews/") + "REVIEW, or here:",
        "       bin/stint access-review decide REVIEW --remove "
            + REVIEWED
            + " --comment \"left the team\"",
        "     Her live grants of demo-admin are revoked, and her next request is refused, naming",
        "     the review:",
        "       STINT_TOKEN=\"$(curl -s '"
            + idp
            + "/dev/token?user=alice')\" bin/stint request demo-admin --duration 30m --reason again",
        "     As an admin, carol gives it back; then the same request waits for two of sre again:",
        "       bin/stint access-review restore demo-admin --issuer " + idp + " --subject alice");
  }

  /** alice's request that is approved at once while she is on call with her ticket open. */
  static String requestOnCall() {
    return "bin/stint request demo-oncall --duration 30m --reason paged --ticket "
        + DemoStack.TICKET;
  }

  /** The Jira controls' close, as curl sends it. */
  static String closeTicket(DemoStack stack) {
    return "curl -d ticket="
        + DemoStack.TICKET
        + " "
        + stack.standIns().jira().controls()
        + "/close";
  }

  /** The PagerDuty controls' hand-over to {@code login}, as curl sends it. */
  static String handOver(DemoStack stack, String login) {
    return "curl -d schedule="
        + DemoStack.SCHEDULE
        + " -d who="
        + login
        + " "
        + stack.standIns().pagerDuty().controls()
        + "/oncall";
  }

  /** Where the demo's parts listen. */
  private static String addresses(DemoStack stack) {
    DemoStandIns out = stack.standIns();
    return String.join(
        "\n",
        "  stint web pages    " + stack.url().resolve("/ui"),
        "  dev IdP            %s   (alice: eng; bob: sre; carol: sre + security)"
            .formatted(stack.idp().issuer()),
        "  AWS stand-ins      STS %s, IAM %s, sign-in %s, CloudTrail %s, EventBridge (S3's data events to %s)"
            .formatted(
                out.sts().uri(),
                out.iam().uri(),
                out.signin().uri(),
                out.cloudTrail().uri(),
                DemoStack.INGEST_PATH),
        "  S3 stand-in        %s   (buckets %s and %s, judged as IAM would)"
            .formatted(out.s3().uri(), DemoBucket.NAME, DemoBucket.OTHER),
        "  Slack stand-in     " + out.slack().uri() + "/   (the approvals channel and DMs)",
        "  dev CI issuer      %s   (GitHub- and GitLab-shaped job tokens)"
            .formatted(stack.ciIssuer().uri()),
        "  PagerDuty stand-in %s   (alice on call in %s)"
            .formatted(out.pagerDuty().controls(), DemoStack.SCHEDULE),
        "  Jira stand-in      %s   (%s, alice's)"
            .formatted(out.jira().controls(), DemoStack.TICKET),
        "");
  }
}
