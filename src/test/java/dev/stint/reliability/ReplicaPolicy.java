package dev.stint.reliability;

import dev.stint.testing.TestIdp;

/**
 * The replicas' policy: two AWS profiles on two roles (so revocations both share a role's turn and
 * run side by side), two approvals of three possible approvers (so a third vote races the
 * approval), and extensions that need approval too (so they race revocations).
 */
final class ReplicaPolicy {
  /** The approvers; each request gets a vote from every one of them, from both replicas. */
  static final String[] APPROVERS = {"sre-1", "sre-2", "sre-3"};

  static final String[] PROFILES = {"prod", "sandbox"};

  private ReplicaPolicy() {}

  static String role(String profile) {
    return profile.equals("prod") ? "prod-admin" : "sandbox";
  }

  static String yaml(TestIdp idp) {
    StringBuilder yaml =
        new StringBuilder()
            .append("admins: 'principal.groups.exists(g, g == \"platform\")'\n")
            .append("auditors: 'principal.groups.exists(g, g == \"security\")'\n")
            .append("issuers:\n")
            .append(idp.issuerYaml("corp"))
            .append("profiles:\n");
    for (String profile : PROFILES) {
      yaml.append("  ")
          .append(profile)
          .append(":\n")
          .append("    aws: {role_arn: \"arn:aws:iam::111122223333:role/")
          .append(role(profile))
          .append("\", mode: assume_role}\n")
          .append("    max_duration: 2h\n")
          .append("    requesters: 'principal.groups.exists(g, g == \"eng\")'\n")
          .append("    approval:\n")
          .append("      count: 2\n")
          .append("      approvers: 'principal.groups.exists(g, g == \"sre\")'\n")
          .append("    extension: {max_total: 8h, approval: required}\n");
    }
    return yaml.toString();
  }
}
