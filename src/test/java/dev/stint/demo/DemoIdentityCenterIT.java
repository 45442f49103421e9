package dev.stint.demo;

import static dev.stint.demo.WalkthroughScript.REFUSED_WITHIN;
import static dev.stint.demo.WalkthroughScript.marker;
import static dev.stint.demo.WalkthroughScript.section;
import static dev.stint.demo.WalkthroughScript.untilRefused;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walkthrough's IAM Identity Center step (15), its lines run as {@code bin/stint demo} prints
 * them by a shell with the real AWS CLI: alice requests demo-portal and bob approves; the request
 * shows its account assignment created; {@code stint setup aws} writes the sso profile for the
 * access portal; a session alice takes from the portal stand-in reads the demo bucket; once she
 * revokes the grant, that session, taken before the revoke, is refused by S3 (the deny stint wrote
 * into the account's policy /stint/stint-portal-revocations, which the permission set references
 * and the stand-in attached to its provisioned role), and the portal gives her no new one (the
 * assignment is deleted).
 */
class DemoIdentityCenterIT {
  @TempDir static Path home;
  static DemoProcess demo;

  @BeforeAll
  static void start() throws Exception {
    demo = DemoProcess.start(home);
  }

  @AfterAll
  static void stop() throws Exception {
    if (demo != null) {
      demo.close();
    }
  }

  @Test
  void aPortalGrantIsAssignedAndItsEarlierSessionIsRefusedOnceRevoked() throws Exception {
    String export = demo.printed("export STINT_SERVER=");
    String kept = demo.printed("aws s3 ls s3://stint-demo --region");
    String portal = demo.printed("aws sso get-role-credentials");
    String out =
        shell(
            "set -e",
            export,
            printedWith("export STINT_TOKEN=", "user=alice"),
            "echo " + marker("requested"),
            demo.printed("bin/stint request demo-portal") + " >\"$TMPDIR/requested.out\"",
            "cat \"$TMPDIR/requested.out\"",
            "ID=$(grep -o 'req_[a-z2-7]*' \"$TMPDIR/requested.out\" | head -n 1)",
            withId(printedWith("STINT_TOKEN=", "bin/stint approve ID")) + " >/dev/null",
            "echo " + marker("shown"),
            untilShown(withId(demo.printed("bin/stint show ID")), "assignment: created"),
            "echo " + marker("setup"),
            demo.printed("bin/stint setup aws"),
            demo.printed("aws configure get sso_role_name --profile demo-portal"),
            demo.printed("SSO_TOKEN="),
            demo.printed("eval \"$(aws sso get-role-credentials"),
            "echo " + marker("kept"),
            kept,
            "echo " + marker("revoked"),
            // The walkthrough's "(bin/stint revoke ID)", without asking: no terminal here.
            "bin/stint revoke --yes \"$ID\" >/dev/null",
            untilRefused(kept),
            "echo " + marker("portal-after"),
            untilRefused(portal),
            demo.printed("unset AWS_"));

    assertThat(section(out, "requested")).contains("req_", "demo-portal");
    assertThat(section(out, "shown"))
        .contains("assignment: created (IAM Identity Center account assignment)");
    // Its own section holds setup's diff, whose lines start with "---" as markers do.
    String setup = out.substring(out.indexOf(marker("setup")), out.indexOf(marker("kept")));
    assertThat(setup)
        .contains("[profile demo-portal]", "sso_session = stint", "sso_role_name = DemoReadOnly")
        .contains("aws sso login --sso-session stint")
        .containsPattern("(?m)^DemoReadOnly$");
    assertThat(Files.readString(home.resolve("aws-config-of-the-demo")))
        .contains("[sso-session stint]", "[profile demo-portal]", "sso_account_id = 111122223333");
    assertThat(section(out, "kept")).contains("PRE reports/").contains("hello.txt");
    assertThat(section(out, "revoked"))
        .contains("An error occurred (AccessDenied) when calling the ListObjectsV2 operation")
        .doesNotContain("hello.txt");
    assertThat(section(out, "portal-after")).contains("ForbiddenException").contains("No access");
  }

  /** {@code line} with the shell's {@code $ID} for the walkthrough's ID. */
  private static String withId(String line) {
    return line.replace(" ID", " \"$ID\"");
  }

  /**
   * Runs {@code line} until its output holds {@code text}, at most {@link
   * WalkthroughScript#REFUSED_WITHIN} seconds apart by a second, then prints its last answer: the
   * assignment is made through the outbox after the approval, and AWS finishes it later still.
   */
  private static String untilShown(String line, String text) {
    return "n=0; until "
        + line
        + " >\"$TMPDIR/shown.out\" 2>&1 && grep -q '"
        + text
        + "' \"$TMPDIR/shown.out\" || [ $n -ge "
        + REFUSED_WITHIN
        + " ]; do n=$((n+1)); sleep 1; done; cat \"$TMPDIR/shown.out\"";
  }

  /** The walkthrough's line that starts with {@code start} and has {@code part} in it. */
  private static String printedWith(String start, String part) {
    return demo.allPrinted(start).stream().filter(l -> l.contains(part)).findFirst().orElseThrow();
  }

  /**
   * Runs {@code lines} in a shell of the test's own HOME, with the AWS CLI v2 on its PATH and a
   * TMPDIR of its own, the demo's AWS config copied where the test reads it; output and errors
   * together.
   */
  private static String shell(String... lines) throws Exception {
    Path work = Files.createTempDirectory(home, "shell");
    String[] all = new String[lines.length + 1];
    System.arraycopy(lines, 0, all, 0, lines.length);
    all[lines.length] = "cp \"$AWS_CONFIG_FILE\" \"$HOME/aws-config-of-the-demo\"";
    DemoProcess.Run run =
        demo.shErrorsInOut(
            Duration.ofSeconds(3 * REFUSED_WITHIN + 60),
            demo.pathWithAwsCli(),
            Map.of("TMPDIR", work.toString()),
            all);
    assertThat(run.exitCode()).as(run.out()).isZero();
    return run.out();
  }
}
