package dev.stint.testing;

import dev.stint.standin.IamEvaluator;
import dev.stint.testing.FakeAwsEndpoint.Call;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Whether an IAM policy document denies every action to one STS session, as IAM decides it ({@link
 * IamEvaluator#deniesEverything}, the evaluator the demo's S3 stand-in judges calls with): a {@code
 * Deny} statement with {@code Action} and {@code Resource} {@code "*"} applies when all its
 * conditions hold. Operators and keys it does not know fail the test rather than guess.
 */
public final class DenyEvaluator {
  /**
   * What IAM knows about a session: its tags, its source identity, when it was issued, its {@code
   * aws:userid} (an IAM Identity Center session's ends with {@code :<UserName>}), and its {@code
   * aws:PrincipalArn} (the role's ARN).
   */
  public record Session(
      Map<String, String> tags,
      Optional<String> sourceIdentity,
      Instant issuedAt,
      Optional<String> userId,
      Optional<String> principalArn) {
    public Session(Map<String, String> tags, Optional<String> sourceIdentity, Instant issuedAt) {
      this(tags, sourceIdentity, issuedAt, Optional.empty(), Optional.empty());
    }

    /**
     * A session taken from the AWS access portal by {@code userName}, of the role {@code roleArn}
     * whose id is {@code roleId} (its {@code aws:userid} starts with it).
     */
    public static Session portal(String roleArn, String roleId, String userName, Instant issuedAt) {
      return new Session(
          Map.of(),
          Optional.empty(),
          issuedAt,
          Optional.of(roleId + ":" + userName),
          Optional.of(roleArn));
    }

    /** The session an {@code AssumeRole} call to the fake STS made, issued at {@code issuedAt}. */
    public static Session of(Call call, Instant issuedAt) {
      // IAM looks principal tag keys up ignoring case.
      Map<String, String> tags = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      for (int i = 1; call.param("Tags.member." + i + ".Key") != null; i++) {
        tags.put(
            call.param("Tags.member." + i + ".Key"), call.param("Tags.member." + i + ".Value"));
      }
      return new Session(tags, Optional.ofNullable(call.param("SourceIdentity")), issuedAt);
    }
  }

  private DenyEvaluator() {}

  public static boolean denies(String document, Session session, Instant now) {
    return IamEvaluator.deniesEverything(
        document,
        new IamEvaluator.Session(
            session.tags(),
            session.sourceIdentity(),
            session.issuedAt(),
            session.userId(),
            session.principalArn()),
        now);
  }
}
