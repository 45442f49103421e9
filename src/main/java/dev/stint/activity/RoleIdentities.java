package dev.stint.activity;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A role as IAM tells roles apart: its partition, its account and its name, the name without regard
 * to case (IAM refuses a second role whose name differs only in case) and without its path (a name
 * is unique in its account whatever the path). A caller may write a role's ARN in any of those
 * spellings and STS takes it, and CloudTrail records the ARN as the caller wrote it, so comparing
 * ARNs as strings lets a differently written assumption pass unseen.
 */
final class RoleIdentities {
  /** {@code arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME}, the names IAM allows. */
  private static final Pattern ROLE =
      Pattern.compile(
          "arn:(aws[a-z-]*):iam::(\\d{12}):role/(?:[\\x21-\\x7e]*/)?([\\w+=,.@-]{1,64})");

  private RoleIdentities() {}

  /** The role {@code arn} names, as IAM identifies it; empty for anything but a role's ARN. */
  static Optional<String> of(String arn) {
    Matcher m = ROLE.matcher(arn);
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(m.group(1) + ":" + m.group(2) + ":" + asciiLower(m.group(3)));
  }

  /** Role names are ASCII; folding only A-Z keeps any other character as it is. */
  private static String asciiLower(String name) {
    StringBuilder b = new StringBuilder(name.length());
    for (char c : name.toCharArray()) {
      b.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
    }
    return b.toString();
  }
}
