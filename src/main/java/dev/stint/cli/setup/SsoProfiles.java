package dev.stint.cli.setup;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The IAM Identity Center profiles of {@code GET /v1/profiles} (those with {@code
 * identity_center}), as {@code stint setup aws} writes them: one {@code [sso-session stint]} for
 * the server's access portal and a profile per permission set. A profile the server cannot describe
 * fully (no portal configured, no permission set name in the policy) is skipped with a note saying
 * who can fix it. Every value is checked for its form before it is written: a config line holds
 * only what the AWS CLI reads as that value.
 */
final class SsoProfiles {
  /** The session's name in the written config: {@code aws sso login --sso-session stint}. */
  static final String SESSION = "stint";

  private static final Pattern START_URL =
      Pattern.compile("https://[A-Za-z0-9.-]+(:\\d{1,5})?(/[A-Za-z0-9._~/-]*)?");
  private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
  private static final Pattern ROLE = Pattern.compile("[\\w+=,.@-]{1,32}");
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");

  private final PrintStream notes;
  private Optional<AwsConfigBlock.SsoSession> session = Optional.empty();
  private final List<AwsConfigBlock.SsoEntry> entries = new ArrayList<>();

  SsoProfiles(PrintStream notes) {
    this.notes = notes;
  }

  /** Whether {@code profile} is an Identity Center profile (taken here, written or skipped). */
  boolean take(String awsProfile, JsonNode profile, Optional<String> region) {
    JsonNode ic = profile.path("identity_center");
    if (!ic.isObject()) {
      return false;
    }
    String name = profile.path("name").asText();
    String startUrl = ic.path("start_url").asText("");
    String ssoRegion = ic.path("sso_region").asText("");
    String account = ic.path("account_id").asText("");
    String role = ic.path("permission_set_name").asText("");
    if (startUrl.isEmpty() || ssoRegion.isEmpty()) {
      notes.println(
          "Skipped IAM Identity Center profile "
              + name
              + ": the stint server names no AWS access portal; ask its operator to set"
              + " aws.identity_center.start_url.");
    } else if (role.isEmpty()) {
      notes.println(
          "Skipped IAM Identity Center profile "
              + name
              + ": its policy gives no permission_set_name; ask the policy's owner to add it"
              + " (sign in through the AWS access portal meanwhile).");
    } else if (!START_URL.matcher(startUrl).matches()
        || !REGION.matcher(ssoRegion).matches()
        || !ACCOUNT.matcher(account).matches()
        || !ROLE.matcher(role).matches()) {
      notes.println(
          "Skipped IAM Identity Center profile "
              + name
              + ": the server described it with values that cannot be written safely.");
    } else {
      session = Optional.of(new AwsConfigBlock.SsoSession(SESSION, startUrl, ssoRegion));
      entries.add(new AwsConfigBlock.SsoEntry(awsProfile, account, role, region));
    }
    return true;
  }

  /** The session, when any profile is written through it. */
  Optional<AwsConfigBlock.SsoSession> session() {
    return entries.isEmpty() ? Optional.empty() : session;
  }

  List<AwsConfigBlock.SsoEntry> entries() {
    return List.copyOf(entries);
  }
}
