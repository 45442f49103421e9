package dev.stint.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.common.Fingerprints;
import dev.stint.common.SecretShapes;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * SecretGuard finds AWS secret keys and opaque blobs in one pass over each value. These tests hold
 * that pass to the regular expressions it replaced, which stay here as the reference.
 */
class SecretGuardTest {
  private static final Pattern AWS_SECRET_KEY =
      Pattern.compile(
          "(?<![A-Za-z0-9/+=])"
              + "(?=[A-Za-z0-9/+=]*[A-Z])(?=[A-Za-z0-9/+=]*[a-z])(?=[A-Za-z0-9/+=]*[0-9])"
              + "[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])");
  private static final Pattern OPAQUE_BLOB = Pattern.compile("[A-Za-z0-9/+=_-]{100,}");

  @Property(tries = 3000)
  void theOnePassAgreesWithThePatterns(@ForAll("values") String value) {
    SecretShapes.Scan runs = SecretShapes.scan(value);

    assertThat(runs.awsSecretKey()).as(value).isEqualTo(AWS_SECRET_KEY.matcher(value).find());
    assertThat(runs.longestToken() >= 100).as(value).isEqualTo(OPAQUE_BLOB.matcher(value).find());
  }

  /**
   * Values built from pieces around the edges that matter: runs of 39 to 41 and 99 to 101
   * characters, single-class runs (all digits, all lower case), and the separators that end a run
   * for one rule but not the other ({@code _}, {@code -}).
   */
  @Provide
  Arbitrary<String> values() {
    Arbitrary<String> base64Run =
        Arbitraries.strings()
            .withChars("Aa0/+=")
            .ofMinLength(1)
            .ofMaxLength(3)
            .list()
            .ofMinSize(10)
            .ofMaxSize(45)
            .map(parts -> String.join("", parts));
    Arbitrary<String> exact =
        Arbitraries.integers()
            .between(38, 42)
            .flatMap(n -> Arbitraries.strings().withChars("ABCxyz0189/+=").ofLength(n));
    Arbitrary<String> oneClass =
        Arbitraries.of("abcdefghij", "ABCDEFGHIJ", "0123456789").map(s -> s.repeat(4));
    Arbitrary<String> tokenRun =
        Arbitraries.integers()
            .between(97, 103)
            .flatMap(n -> Arbitraries.strings().withChars("Zz9_-").ofLength(n));
    Arbitrary<String> separator = Arbitraries.of(" ", "_", "-", ".", ":", "é", "\n", "");
    Arbitrary<String> piece =
        Arbitraries.oneOf(
            base64Run,
            exact,
            oneClass,
            tokenRun,
            separator,
            Arbitraries.strings().ascii().ofMaxLength(20));
    return piece.list().ofMinSize(1).ofMaxSize(6).map(parts -> String.join("", parts));
  }

  @Test
  void anAwsSecretKeyIsFoundAloneOrInText() {
    String key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    assertThat(SecretGuard.valueProblem(key)).contains("holds an AWS-secret-key-shaped value");
    assertThat(SecretGuard.valueProblem("creds: " + key + ".")).isPresent();
    assertThat(SecretGuard.valueProblem(key + "A")).isEmpty();
    assertThat(SecretGuard.valueProblem(key.toLowerCase(Locale.ROOT))).isEmpty();
  }

  @Test
  void aFingerprintAndOrdinaryFieldsPass() {
    assertThat(SecretGuard.valueProblem(Fingerprints.sha256("a session token"))).isEmpty();
    assertThat(SecretGuard.valueProblem("arn:aws:iam::111122223333:role/prod-admin")).isEmpty();
    assertThat(SecretGuard.valueProblem("ASIAEXAMPLEEXAMPLE")).isEmpty();
    assertThat(SecretGuard.valueProblem(null)).isEmpty();
  }

  @Test
  void tokensAndKeysAreFound() {
    assertThat(SecretGuard.valueProblem("IQoJb3JpZ2luX2Vj" + "Zm9v_-".repeat(20)))
        .contains("holds a long opaque token-shaped value");
    assertThat(SecretGuard.valueProblem("see eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln"))
        .contains("holds a JWT-shaped value");
    assertThat(SecretGuard.valueProblem("-----BEGIN EC PRIVATE KEY-----\nMHcC"))
        .isEqualTo(Optional.of("holds a private key"));
  }
}
