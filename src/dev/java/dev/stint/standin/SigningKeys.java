package dev.stint.standin;

import java.util.Optional;

/**
 * Whose an access key is. AWS learns a caller's account from the key that signs the call, never
 * from a parameter: a long-term key is a user's, in the user's account; a session key STS minted is
 * the assumed role's, in the role's account. The stand-ins share this view: a key their STS did not
 * mint is stint's own, a user of {@link #HOME_ACCOUNT}.
 */
@FunctionalInterface
public interface SigningKeys {
  /** The account of stint's own identity in the tests and the demo. */
  String HOME_ACCOUNT = "111122223333";

  /** Who stint's own identity is: a user of the home account. */
  String HOME_USER = "arn:aws:iam::" + HOME_ACCOUNT + ":user/stint";

  /** Only the home account: no session keys are known. */
  SigningKeys HOME_ONLY = key -> Optional.empty();

  /** A session key STS minted: its secret, and the account of the role it was minted on. */
  record SessionKey(String accessKeyId, String secretAccessKey, String account) {
    @Override
    public String toString() {
      return "SessionKey[" + accessKeyId + ", " + account + "]";
    }
  }

  /** The session {@code accessKeyId} belongs to, when STS minted it. */
  Optional<SessionKey> session(String accessKeyId);

  /** The account a call signed with {@code accessKeyId} acts in. */
  default String account(String accessKeyId) {
    return session(accessKeyId).map(SessionKey::account).orElse(HOME_ACCOUNT);
  }
}
