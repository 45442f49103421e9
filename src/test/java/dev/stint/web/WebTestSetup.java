package dev.stint.web;

import dev.stint.testing.TestIdp;

/** The policy the web tests run under: the IdP as web issuer, a profile, roles by group. */
final class WebTestSetup {
  static final String CLIENT = "stint-web";

  private WebTestSetup() {}

  static String policy(TestIdp idp) {
    return "auditors: 'principal.groups.exists(g, g == \"security\")'\n"
        + "admins: 'principal.groups.exists(g, g == \"platform\")'\n"
        + "issuers:\n"
        + idp.issuerYaml("corp")
        + "web: {issuer: corp, client_id: "
        + CLIENT
        + "}\n"
        + "profiles:\n"
        + "  aws-prod:\n"
        + "    description: Production administrator\n"
        + "    aws: {role_arn: 'arn:aws:iam::111122223333:role/prod-admin', mode: assume_role}\n"
        + "    max_duration: 2h\n"
        + "    requesters: 'principal.groups.exists(g, g == \"sre\")'\n"
        + "    approval: {count: 2, approvers: 'principal.groups.exists(g, g == \"sre\")'}\n"
        + "    reason: {required: true, pattern: '^INC-[0-9]+'}\n"
        + "    break_glass: true\n"
        + "    extension: {max_total: 4h, approval: required}\n"
        + "  gcp-view:\n"
        + "    gcp: {service_account: viewer@prod-proj.iam.gserviceaccount.com, scopes: [cloud-platform]}\n"
        + "    max_duration: 1h\n"
        + "    requesters: 'principal.groups.exists(g, g == \"eng\")'\n"
        + "    approval: {count: 1, approvers: 'principal.groups.exists(g, g == \"sre\")'}\n"
        + NARROWED;
  }

  /**
   * A narrowed profile, for the group {@code data} alone so the other tests' forms do not change:
   * {@code bucket} one of the visitor's teams' log buckets, {@code prefix} any the pattern takes.
   */
  static final String NARROWED =
      """
        s3-logs:
          description: Read one prefix of one of your teams' log buckets
          aws:
            role_arn: 'arn:aws:iam::111122223333:role/logs-reader'
            session_policy:
              Version: '2012-10-17'
              Statement:
                - Effect: Allow
                  Action: s3:ListBucket
                  Resource: 'arn:aws:s3:::${bucket}'
                  Condition: {StringLike: {'s3:prefix': ['${prefix}/*']}}
                - Effect: Allow
                  Action: s3:GetObject
                  Resource: 'arn:aws:s3:::${bucket}/*'
          parameters:
            bucket:
              description: A log bucket of one of your teams
              pattern: '[a-z0-9][a-z0-9-]{1,61}[a-z0-9]'
              values: 'principal.groups.map(g, g + "-logs")'
            prefix:
              description: The prefix to list
              pattern: '[a-z0-9]{1,20}'
          max_duration: 2h
          requesters: 'principal.groups.exists(g, g == "data")'
          approval: {count: 1, approvers: 'principal.groups.exists(g, g == "data-leads")'}
      """;
}
