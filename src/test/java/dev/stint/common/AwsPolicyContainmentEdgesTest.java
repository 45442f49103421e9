package dev.stint.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Inputs a security review found the prover called contained although IAM lets the narrower
 * statements do something the wider ones do not: each is refused (or thrown out) now.
 */
class AwsPolicyContainmentEdgesTest {

  /**
   * IAM expands ${aws:username} at evaluation (any length); the prover reads it as 15 literal
   * characters, which fifteen '?' cover. User "alice" gets b/alice, which the wider does not allow.
   */
  @Test
  void policyVariableInNarrowerIsNotLiteralText() {
    String wider =
        "[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
            + "\"Resource\":\"arn:aws:s3:::b/???????????????\"}]";
    String narrower =
        "[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
            + "\"Resource\":\"arn:aws:s3:::b/${aws:username}\"}]";
    assertThat(AwsPolicyContainment.whyNotContained(narrower, wider)).isPresent();
  }

  /**
   * In IAM, ${*} in a resource is a literal '*' character (the object named "*" only); the prover
   * reads its '*' as a wildcard, so it covers any narrower text between "${" and "}".
   */
  @Test
  void escapedStarInWiderIsLiteral() {
    String wider =
        "[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/${*}\"}]";
    String narrower =
        "[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
            + "\"Resource\":\"arn:aws:s3:::b/${aws:username}\"}]";
    assertThat(AwsPolicyContainment.whyNotContained(narrower, wider)).isPresent();
  }

  /**
   * Duplicate keys: Jackson keeps the last "Action"; a JSON reader that keeps the first (or that is
   * lenient differently) sees Action "*". The prover should refuse what it reads ambiguously.
   */
  @Test
  void duplicateKeysAreRefused() {
    String wider =
        "[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"}]";
    String narrower =
        "[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\","
            + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/x\"}]";
    assertThatThrownBy(() -> AwsPolicyContainment.whyNotContained(narrower, wider))
        .hasMessage("the narrower policy is not one JSON document without a key given twice");
  }

  /**
   * Trailing content after the array is ignored by readTree (FAIL_ON_TRAILING_TOKENS off): only the
   * first array is judged.
   */
  @Test
  void trailingDocumentIsRefused() {
    String wider =
        "[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"}]";
    String narrower =
        "[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/x\"}]"
            + "[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]";
    boolean refusedOrThrew;
    try {
      refusedOrThrew = AwsPolicyContainment.whyNotContained(narrower, wider).isPresent();
    } catch (IllegalArgumentException e) {
      refusedOrThrew = true;
    }
    assertThat(refusedOrThrew).isTrue();
  }

  /**
   * An Allow of exactly what the wider set denies would read as contained if its Deny were ignored:
   * a wider set with a Deny proves nothing.
   */
  @Test
  void widerDenyIsIgnored() {
    String wider =
        "[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"},"
            + "{\"Effect\":\"Deny\",\"Action\":\"s3:DeleteBucket\",\"Resource\":\"*\"}]";
    String narrower = "[{\"Effect\":\"Allow\",\"Action\":\"s3:DeleteBucket\",\"Resource\":\"*\"}]";
    assertThat(AwsPolicyContainment.whyNotContained(narrower, wider)).isPresent();
  }
}
