package dev.stint.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The restricted grammar of a parameter's pattern, and what it lets a value hold. */
class SafePatternTest {
  private static final Set<SafePattern.Admits> NONE = EnumSet.noneOf(SafePattern.Admits.class);
  private static final String BUCKET = "[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]";

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
      .{1,9}                | '.' admits any character
      \\S{1,9}              | \\S is not allowed
      \\W{1,9}              | \\W is not allowed
      \\D{1,9}              | \\D is not allowed
      \\d{1,9}              | \\d is not allowed
      \\p{L}{1,9}           | \\p is not allowed
      [^a]{1,9}             | a negated class
      [a-z]*                | '*' admits values of any length
      [a-z]+                | '+' admits values of any length
      [a-z]{1,300}          | need m <= n <= 256
      ([a-z]{1,100}){1,3}   | admits values longer than 256
      (?i)abc               | only (?:...) is allowed
      (?=a)a                | only (?:...) is allowed
      ^abc                  | no anchors
      abc$                  | no anchors
      [a-z"]{1,9}           | which no value may hold
      [a-z']{1,9}           | which no value may hold
      [a-z\\\\]{1,9}        | which no value may hold
      [a-z{}]{1,9}          | which no value may hold
      [a-z$]{1,9}           | which no value may hold
      [a-z ]{1,9}           | printable ASCII only
      [a-z\t]{1,9}          | printable ASCII only
      b\u0430cket           | printable ASCII only
      [a-z*]{1,9}           | must say so with admits: [wildcards]
      [a-z?]{1,9}           | must say so with admits: [wildcards]
      [a-z:]{1,9}           | must say so with admits: [arn_separators]
      [a-z/]{1,9}           | must say so with admits: [arn_separators]
      (abc)?                | admits the empty value
      `[a-z]{0,9}`          | admits the empty value
      [z-a]                 | runs backwards
      [a-z&&[b]]            | no nested classes
      [[a]]                 | no nested classes
      [-a]                  | write \\- for '-'
      a{2}{3}               | one quantifier per item
      a??                   | one quantifier per item
      []a]                  | an empty class
      (abc                  | is never closed
      abc)                  | closes no group
      [abc                  | is never closed
      ?a                    | repeats nothing
      `a{1,}`               | a repetition reads {m} or {m,n}
      a\\                   | cannot end in
      """)
  void anUnsafeOrUnboundedPatternIsRefused(String pattern, String reason) {
    String source = pattern.replace("\\t", "\t").replace("\\u0430", "\u0430");
    assertThatThrownBy(() -> SafePattern.parse(source, NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(reason);
  }

  @Test
  void aBucketPatternGivesASampleAndItsLongestValue() {
    SafePattern p = SafePattern.parse(BUCKET, NONE);
    assertThat(p.maxLength()).isEqualTo(63);
    assertThat(p.sample()).isEqualTo("000");
    assertThat(p.longest()).hasSize(63).matches(BUCKET);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      textBlock =
          """
      (dev|prod)-[a-z]{1,8}     ; dev-a      ; 13
      (?:eu|us)-west-[1-3]      ; eu-west-1  ; 9
      [a-z]{3}(-[0-9]{2})?      ; aaa-00     ; 6
      [a-z0-9\\-_]{2,4}         ; 00         ; 4
      arn\\.x                   ; arn.x      ; 5
      """)
  void aSafePatternIsReadWithASampleItMatches(String source, String sample, int max) {
    SafePattern p = SafePattern.parse(source, NONE);
    assertThat(p.sample()).isEqualTo(sample);
    assertThat(p.maxLength()).isEqualTo(max);
    assertThat(p.longest()).hasSize(max);
    assertThat(p.matches(p.sample())).isTrue();
    assertThat(p.matches(p.longest())).isTrue();
  }

  @Test
  void wildcardsAndSeparatorsPassOnlyWhenTheParameterSaysSo() {
    assertThat(SafePattern.parse("[a-z*?]{1,9}", EnumSet.of(SafePattern.Admits.WILDCARDS)).sample())
        .isEqualTo("a");
    assertThat(
            SafePattern.parse(
                    "[a-z]{1,9}(/[a-z]{1,9}){0,3}", EnumSet.of(SafePattern.Admits.ARN_SEPARATORS))
                .maxLength())
        .isEqualTo(39);
    assertThatThrownBy(
            () -> SafePattern.parse("[a-z*:]{1,9}", EnumSet.of(SafePattern.Admits.WILDCARDS)))
        .hasMessageContaining("admits: [arn_separators]");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "b\u0430cket",
        "\u212Aelvin",
        "bucket*",
        "bucket?",
        "bucket\"",
        "bucket{x}",
        "bucket\n",
        "${other}",
        "Bucket",
        "ab",
        "-bucket"
      })
  void aBucketPatternMatchesNoLookAlikeOrSpecialValue(String value) {
    assertThat(SafePattern.parse(BUCKET, NONE).matches(value)).isFalse();
  }

  @Test
  void aFiveKilobyteValueNeverMatches() {
    SafePattern p = SafePattern.parse("[a-z]{1,256}", NONE);
    assertThat(p.matches("a".repeat(256))).isTrue();
    assertThat(p.matches("a".repeat(5 * 1024))).isFalse();
  }
}
