package dev.stint.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Filling {@code ${NAME}} placeholders: checked values, string values only, never re-read. */
class DocumentTemplateTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String S3 =
      "[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
          + "\"Resource\":\"arn:aws:s3:::${bucket}/${prefix}/*\"}]";
  private static final ParameterPatterns SAFE =
      ParameterPatterns.of(
          Map.of("bucket", "[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", "prefix", "[a-z0-9-]{1,32}"));

  private static DocumentTemplate s3() {
    return new DocumentTemplate(S3, SAFE);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "b\u0430cket", // Cyrillic a
        "\u212Aelvin", // Kelvin sign
        "bucket*",
        "bucket?",
        "a..b",
        "bucket\"x",
        "bucket'x",
        "bucket{x}",
        "bucket\nx",
        "bucket x",
        "${prefix}",
        "arn:aws:s3:::other",
        "other/bucket"
      })
  void anUnsafeValueIsRefusedBeforeAnythingIsFilled(String bad) {
    assertThatThrownBy(() -> s3().fill(ParameterValues.of(Map.of("bucket", bad, "prefix", "p"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("bucket: ")
        .hasMessageNotContaining(bad);
  }

  @Test
  void aFiveKilobyteValueIsRefusedByItsLength() {
    String big = "a".repeat(5 * 1024);
    ParameterPatterns any = ParameterPatterns.of(Map.of("v", "[a-z]{1,6000}"));
    DocumentTemplate t = new DocumentTemplate("{\"k\":\"${v}\"}", any);
    assertThatThrownBy(() -> t.fill(ParameterValues.of(Map.of("v", big))))
        .hasMessage("v: the value is 5120 characters; at most 256");
  }

  @Test
  void everyParameterNeedsExactlyItsOwnValue() {
    assertThatThrownBy(() -> s3().fill(ParameterValues.of(Map.of("bucket", "logs"))))
        .hasMessage("prefix: no value given");
    assertThatThrownBy(
            () ->
                s3().fill(
                        ParameterValues.of(Map.of("bucket", "logs", "prefix", "p", "region", "x"))))
        .hasMessage("'region' is not a parameter of this profile");
  }

  @Test
  void theTemplateAndItsParametersMustAgreeAndKeysHoldNoPlaceholder() {
    assertThatThrownBy(
            () -> new DocumentTemplate(S3, ParameterPatterns.of(Map.of("bucket", "[a-z]{1,9}"))))
        .hasMessage("the document uses [bucket, prefix] but the parameters are [bucket]");
    assertThatThrownBy(
            () ->
                new DocumentTemplate(
                    "{\"${bucket}\":\"x\"}", ParameterPatterns.of(Map.of("bucket", "[a-z]{1,9}"))))
        .hasMessageContaining("holds a placeholder; only string values may");
    assertThatThrownBy(() -> new DocumentTemplate("{\"a\":", ParameterPatterns.NONE))
        .hasMessage("the document is not JSON");
  }

  @Test
  void aSafeValueIsFilledIntoItsStringAndAwsVariablesAreLeftAsWritten() throws Exception {
    DocumentTemplate t =
        new DocumentTemplate(
            "[{\"Resource\":\"arn:aws:s3:::${bucket}/${prefix}/${aws:username}/*\",\"n\":3}]",
            SAFE);
    FilledDocument filled =
        t.fill(ParameterValues.of(Map.of("bucket", "logs.acme", "prefix", "p1")));
    assertThat(filled.json())
        .isEqualTo("[{\"Resource\":\"arn:aws:s3:::logs.acme/p1/${aws:username}/*\",\"n\":3}]");
    assertThat(filled.length()).isEqualTo(filled.json().length());
    assertThat(filled.sha256()).matches("[0-9a-f]{64}");
    FilledDocument other =
        t.fill(ParameterValues.of(Map.of("bucket", "logs.acmf", "prefix", "p1")));
    assertThat(other.sha256()).isNotEqualTo(filled.sha256());
  }

  @Test
  void aValueThatReadsLikeAPlaceholderIsNeverExpandedInTurn() {
    ParameterPatterns loose = ParameterPatterns.of(Map.of("a", "[!-~]{1,64}", "b", "[a-z]{1,9}"));
    DocumentTemplate t = new DocumentTemplate("{\"x\":\"${a}\",\"y\":\"${b}\"}", loose);
    assertThat(t.fill(ParameterValues.of(Map.of("a", "${b}", "b", "secret"))).json())
        .isEqualTo("{\"x\":\"${b}\",\"y\":\"secret\"}");
  }

  /** Even a pattern that let JSON's own characters through could not change the structure. */
  @Test
  void aValueOfJsonSpecialCharactersStaysOneStringValue() throws Exception {
    ParameterPatterns loose = ParameterPatterns.of(Map.of("bucket", "[!-~]{1,200}"));
    DocumentTemplate t =
        new DocumentTemplate(
            "[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::${bucket}/*\"}]",
            loose);
    String attack = "x\"},{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"},{\"a\":\"\\";
    JsonNode filled = JSON.readTree(t.fill(ParameterValues.of(Map.of("bucket", attack))).json());
    assertThat(filled).hasSize(1);
    assertThat(filled.get(0).get("Action").asText()).isEqualTo("s3:GetObject");
    assertThat(filled.get(0).get("Resource").asText()).isEqualTo("arn:aws:s3:::" + attack + "/*");
  }
}
