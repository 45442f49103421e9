package dev.stint.testing;

/**
 * Made-up AWS keys for stint's own identity in an in-process server, through the system properties
 * the SDK's default chain reads. Every AWS deployment needs an identity of its own, web_identity
 * ones too: issuance asks STS who stint is (GetCallerIdentity) to check a revocation could reach
 * the role, and the revocation writes IAM with it. The fakes take any key that is not a session key
 * they minted for one of {@link dev.stint.standin.SigningKeys#HOME_ACCOUNT}.
 */
public final class StintAwsKeys {
  private static final String KEY = "aws.accessKeyId";
  private static final String SECRET = "aws.secretAccessKey";

  private StintAwsKeys() {}

  /** Sets stint's own keys for this JVM, until {@link #clear()}. */
  public static void use() {
    System.setProperty(KEY, "AKIASTINTTESTOWNKEY1");
    System.setProperty(SECRET, "stint-test-own-secret-not-a-real-key-0001");
  }

  public static void clear() {
    System.clearProperty(KEY);
    System.clearProperty(SECRET);
  }
}
