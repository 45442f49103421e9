package dev.stint.config;

/** The {@code aws.*} values: a region, and the broker role stint assumes in other accounts. */
final class AwsKeys {
  private AwsKeys() {}

  /**
   * An IAM role's name, optionally after its path ({@code stint/broker}): what follows {@code
   * role/} in its ARN, in each account. Not an ARN: the account differs from role to role.
   */
  static String roleName(String s) {
    if (!s.matches("([\\w+=,.@-]+/)*[\\w+=,.@-]{1,64}") || s.length() > 512) {
      throw new IllegalArgumentException(
          "expected an IAM role name, optionally after its path (stint-broker, stint/broker),"
              + " not an ARN; got '"
              + s
              + "'");
    }
    return s;
  }

  static String region(String s) {
    if (!s.matches("[a-z]{2}(-[a-z]+)+-\\d")) {
      throw new IllegalArgumentException(
          "expected an AWS region such as eu-west-1, got '" + s + "'");
    }
    return s;
  }
}
