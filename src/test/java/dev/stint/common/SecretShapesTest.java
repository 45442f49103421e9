package dev.stint.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Redaction replaces only the secret-shaped parts of a caller's text, each by its marker. */
class SecretShapesTest {
  private static final String AWS = "Zq8rT2vLx0Wm4NbY7cHs1KdJf5Gp3Ae9Ru6Vi0Ox";
  private static final String JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2lnbmF0dXJl";

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "aws-cli/2 AWS |aws-cli/2 <AWS>",
        "see JWT, thanks|see <JWT>, thanks",
        "'AWS' and 'AWS'|'<AWS>' and '<AWS>'",
        "BLOB end|<BLOB> end",
        "key: PEM|key: <PEM>",
        "PEMEND tail|<PEMEND> tail"
      })
  void onlyTheSecretShapedPartsAreReplaced(String template, String expected) {
    String in = expand(template);
    String out = SecretShapes.redact(in, part -> "<" + name(part) + ">");

    assertThat(out).isEqualTo(expected);
    assertThat(SecretShapes.problem(out)).isEmpty();
  }

  @Test
  void aLeaseTokenIsFoundAndRedactedThoughItIsShortAndDotted() {
    String token = "stl_abcdefghijklmnopqrstuvwx.Ab3_-Zq8rT2vLx0Wm4NbY7cHs1KdJf5Gp3Ae9Ru6VOx";
    String said = "the agent sent " + token + " twice";

    assertThat(SecretShapes.problem(token)).contains("holds a lease-token-shaped value");
    assertThat(SecretShapes.redact(said, part -> "<lease>"))
        .isEqualTo("the agent sent <lease> twice");
    assertThat(SecretShapes.problem("lease lse_abcdefghijklmnopqrstuvwx ended")).isEmpty();
  }

  @Test
  void ordinaryTextIsLeftAsItIs() {
    String arn = "arn:aws:iam::111122223333:role/prod-admin";

    assertThat(SecretShapes.redact(arn, part -> "x")).isSameAs(arn);
    assertThat(SecretShapes.redact(null, part -> "x")).isNull();
    assertThat(SecretShapes.redact(AWS + "A", part -> "x")).isEqualTo(AWS + "A");
  }

  private static final String BLOB = "Zm9v_-".repeat(20);
  private static final String PEM = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE";
  private static final String PEMEND = PEM + "\n-----END EC PRIVATE KEY-----";

  private static String expand(String template) {
    return template
        .replace("PEMEND", PEMEND)
        .replace("PEM", PEM)
        .replace("AWS", AWS)
        .replace("JWT", JWT)
        .replace("BLOB", BLOB);
  }

  private static String name(String part) {
    return part.equals(AWS)
        ? "AWS"
        : part.equals(JWT)
            ? "JWT"
            : part.equals(BLOB)
                ? "BLOB"
                : part.equals(PEMEND) ? "PEMEND" : part.equals(PEM) ? "PEM" : "?" + part;
  }
}
