package dev.stint.standin;

import java.util.OptionalInt;

/**
 * A call's session policies as STS counts them against its documented plaintext limit: the inline
 * policy's and the managed policy ARNs' characters together, at most {@link #MAX_CHARS} ("the
 * plaintext that you use for both inline and managed session policies can't exceed 2,048
 * characters"), and how full that limit is, which an answer gives as {@code PackedPolicySize}.
 */
final class PackedPolicy {
  static final int MAX_CHARS = 2048;

  private PackedPolicy() {}

  /** The inline policy's and the managed policy ARNs' characters together. */
  static int plaintext(QueryRequest request) {
    int chars = request.param("Policy") == null ? 0 : request.param("Policy").length();
    for (int i = 1; request.param("PolicyArns.member." + i + ".arn") != null; i++) {
      chars += request.param("PolicyArns.member." + i + ".arn").length();
    }
    return chars;
  }

  /**
   * How full the documented plaintext limit is, in percent, when the call passed a session policy,
   * managed policy ARNs or tags ({@code PackedPolicySize} in the answer); empty otherwise.
   */
  static OptionalInt percent(QueryRequest request) {
    if (request.param("Policy") == null
        && request.param("PolicyArns.member.1.arn") == null
        && request.param("Tags.member.1.Key") == null) {
      return OptionalInt.empty();
    }
    return OptionalInt.of((int) Math.ceil(plaintext(request) * 100.0 / MAX_CHARS));
  }
}
