package dev.stint.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stint.common.Fingerprints;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CanonicalFormTest {

  static Stream<Arguments> canonical() {
    Map<String, Object> unordered = new LinkedHashMap<>();
    unordered.put("b", 1);
    unordered.put("a", List.of(true, false));
    unordered.put("B", "x");
    return Stream.of(
        Arguments.of(Map.of(), "{}"),
        Arguments.of(unordered, "{\"B\":\"x\",\"a\":[true,false],\"b\":1}"),
        Arguments.of(Map.of("s", "q\"\\\n\t\u0001é€"), "{\"s\":\"q\\\"\\\\\\n\\t\\u0001é€\"}"),
        Arguments.of(Map.of("n", -9007199254740991L), "{\"n\":-9007199254740991}"),
        Arguments.of(Map.of("o", Map.of("z", 1, "y", Map.of())), "{\"o\":{\"y\":{},\"z\":1}}"));
  }

  @ParameterizedTest
  @MethodSource
  void canonical(Map<String, Object> details, String expected) {
    assertThat(CanonicalJson.write(CanonicalJson.copyChecked(details))).isEqualTo(expected);
  }

  /** Strings are copied in runs between escapes; the result must be JCS's, char by char. */
  @Property(tries = 2000)
  void stringsAreEscapedAsCharacterByCharacter(@ForAll("texts") String text) {
    assertThat(CanonicalJson.write(text)).isEqualTo(referenceEscape(text));
  }

  @Provide
  Arbitrary<String> texts() {
    Arbitrary<Character> special =
        Arbitraries.of(
            '"', '\\', '\b', '\f', '\n', '\r', '\t', '\u0000', '\u0001', '\u001f', ' ', '\u007f',
            'é', '€', '\ud83d', '\ude00');
    Arbitrary<Character> plain = Arbitraries.chars().range('a', 'z');
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(1, special), net.jqwik.api.Tuple.of(4, plain))
        .list()
        .ofMaxSize(40)
        .map(cs -> cs.stream().map(String::valueOf).reduce("", String::concat));
  }

  /**
   * RFC 8785 §3.2.2.2 as data, the oracle for the property: these seven characters take a
   * two-character escape, other controls below U+0020 a backslash-u escape in lowercase hex, and
   * everything else is copied as it is.
   */
  private static final Map<Character, String> SHORT_ESCAPES =
      Map.of(
          '"', "\\\"", '\\', "\\\\", '\b', "\\b", '\f', "\\f", '\n', "\\n", '\r', "\\r", '\t',
          "\\t");

  private static String referenceEscape(String s) {
    return s.chars()
        .mapToObj(
            c ->
                SHORT_ESCAPES.getOrDefault(
                    (char) c, c < 0x20 ? "\\u%04x".formatted(c) : String.valueOf((char) c)))
        .collect(Collectors.joining("", "\"", "\""));
  }

  static Stream<Arguments> refusedDetails() {
    return Stream.of(
        Arguments.of(Map.of("f", 1.5), "Double"),
        Arguments.of(Map.of("n", 1L << 53), "2^53"),
        Arguments.of(Map.of("s", "a\u0000b"), "NUL"),
        Arguments.of(Map.of("s", "\ud800"), "surrogate"),
        Arguments.of(Map.of("t", Instant.EPOCH), "Instant"));
  }

  @ParameterizedTest
  @MethodSource
  void refusedDetails(Map<String, Object> details, String why) {
    assertThatThrownBy(() -> AuditEvent.builder("grant.revoked").detail("x", details).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(why);
  }

  @Test
  void hashCoversEveryFieldAndThePreviousHash() {
    UUID id = UUID.fromString("00000000-0000-4000-8000-000000000001");
    Instant at = Instant.parse("2026-01-02T03:04:05.123456789Z");
    AuditEvent e =
        AuditEvent.builder("credential.issued")
            .actor("https://idp", "alice", null)
            .profile("aws-prod")
            .detail("access_key_id", "ASIAEXAMPLE")
            .build();
    String canonical = ChainHash.canonical(7, id, at, e, ChainHash.GENESIS);
    assertThat(canonical)
        .isEqualTo(
            "{\"actor_email\":null,\"actor_issuer\":\"https://idp\","
                + "\"actor_subject\":\"alice\",\"client_address\":null,\"cloud\":null,"
                + "\"details\":{\"access_key_id\":\"ASIAEXAMPLE\"},"
                + "\"event_id\":\"00000000-0000-4000-8000-000000000001\",\"grant_id\":null,"
                + "\"occurred_at\":\"2026-01-02T03:04:05.123456Z\",\"outcome\":null,"
                + "\"prev_hash\":\""
                + ChainHash.GENESIS
                + "\",\"profile\":\"aws-prod\",\"reason\":null,"
                + "\"request_id\":null,\"seq\":7,\"target\":null,\"type\":\"credential.issued\","
                + "\"user_agent\":null}");
    String hash = ChainHash.hash(7, id, at, e, ChainHash.GENESIS);
    assertThat(hash).matches("[0-9a-f]{64}");
    assertThat(ChainHash.hash(7, id, at, e, "1".repeat(64))).isNotEqualTo(hash);
    assertThat(ChainHash.hash(8, id, at, e, ChainHash.GENESIS)).isNotEqualTo(hash);
  }

  static Stream<Arguments> secrets() {
    return Stream.of(
        Arguments.of("secret_access_key", "x"),
        Arguments.of("SessionToken", "x"),
        Arguments.of("token", "x"),
        Arguments.of("client-secret", "x"),
        Arguments.of("password", "x"),
        Arguments.of("private_key", "x"),
        Arguments.of("assertion", "x"),
        Arguments.of("refresh_token", "x"),
        Arguments.of("note", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2lnbmF0dXJl"),
        Arguments.of("note", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        Arguments.of("note", "FwoGZXIvYXdzE" + "A".repeat(120)),
        Arguments.of("note", "-----BEGIN RSA PRIVATE KEY-----\nMII"));
  }

  @ParameterizedTest
  @MethodSource
  void secrets(String key, String value) {
    AuditEvent e = AuditEvent.builder("credential.issued").detail(key, value).build();
    assertThatThrownBy(() -> SecretGuard.check(e))
        .isInstanceOfSatisfying(
            StintException.class,
            x -> {
              assertThat(x.code()).isEqualTo(ErrorCode.INTERNAL);
              assertThat(x.getMessage()).contains("details.").doesNotContain(value);
            });
  }

  static Stream<Arguments> notSecrets() {
    return Stream.of(
        Arguments.of("access_key_id", "ASIAIOSFODNN7EXAMPLE"),
        Arguments.of("token_fingerprint", Fingerprints.sha256("x")),
        Arguments.of("commit", "4b825dc642cb6eb9a060e54bf8d69288fbee4904"),
        Arguments.of("role_arn", "arn:aws:iam::111122223333:role/prod-admin"),
        Arguments.of("expires", "2026-01-02T03:04:05Z"));
  }

  @ParameterizedTest
  @MethodSource
  void notSecrets(String key, String value) {
    SecretGuard.check(AuditEvent.builder("credential.issued").detail(key, value).build());
  }

  @Test
  void topLevelFieldsAreCheckedToo() {
    AuditEvent e =
        AuditEvent.builder("request.created")
            .reason("INC-1 eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2lnbmF0dXJl")
            .build();
    assertThatThrownBy(() -> SecretGuard.check(e)).hasMessageContaining("reason holds a JWT");
  }

  @Test
  void fingerprintsAreSha256Hex() {
    assertThat(Fingerprints.sha256("abc"))
        .isEqualTo("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }
}
