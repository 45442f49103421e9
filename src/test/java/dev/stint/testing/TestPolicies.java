package dev.stint.testing;

/** Policy files for tests, built around a {@link TestIdp}. */
public final class TestPolicies {
  private TestPolicies() {}

  /**
   * Two AWS profiles: {@code prod} (eng may request, two sre approvals, INC- reasons, break-glass)
   * and {@code sandbox} (anyone, one approval, auto-approved for oncall); members of {@code
   * platform} are admins, members of {@code security} auditors.
   */
  public static String requests(TestIdp idp) {
    return "admins: 'principal.groups.exists(g, g == \"platform\")'\n"
        + "auditors: 'principal.groups.exists(g, g == \"security\")'\n"
        + "issuers:\n"
        + idp.issuerYaml("corp")
        + "profiles:\n"
        + "  prod:\n"
        + "    description: Production admin\n"
        + "    aws: {role_arn: \"arn:aws:iam::111122223333:role/prod-admin\", mode: assume_role}\n"
        + "    max_duration: 2h\n"
        + "    requesters: 'principal.groups.exists(g, g == \"eng\")'\n"
        + "    approval:\n"
        + "      count: 2\n"
        + "      approvers: 'principal.groups.exists(g, g == \"sre\")'\n"
        + "    reason: {required: true, pattern: '^INC-[0-9]+'}\n"
        + "    break_glass: true\n"
        + "  sandbox:\n"
        + "    aws: {role_arn: \"arn:aws:iam::111122223333:role/sandbox\", mode: assume_role}\n"
        + "    max_duration: 1h\n"
        + "    requesters: 'true'\n"
        + "    approval:\n"
        + "      count: 1\n"
        + "      approvers: 'principal.groups.exists(g, g == \"sre\")'\n"
        + "      auto_approve: 'principal.groups.exists(g, g == \"oncall\")'\n";
  }
}
