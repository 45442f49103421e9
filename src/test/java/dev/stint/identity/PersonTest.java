package dev.stint.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PersonTest {
  static Person p(String issuer, String subject, String email) {
    return new Person(issuer, subject, Optional.ofNullable(email));
  }

  static Stream<Arguments> pairs() {
    return Stream.of(
        Arguments.of(
            "same issuer and subject",
            p("corp", "alice", "a@x"),
            p("corp", "alice", null),
            true,
            true),
        Arguments.of(
            "same subject, other issuer",
            p("corp", "alice", null),
            p("partner", "alice", null),
            false,
            false),
        Arguments.of(
            "same email, other issuer",
            p("corp", "alice", "alice@x.com"),
            p("partner", "m", "ALICE@x.com"),
            false,
            true),
        Arguments.of(
            "same email, same issuer, other subject",
            p("corp", "a1", "a@x.com"),
            p("corp", "a2", "a@x.com"),
            false,
            true),
        Arguments.of(
            "other email",
            p("corp", "alice", "alice@x.com"),
            p("partner", "bob", "bob@x.com"),
            false,
            false),
        Arguments.of(
            "one side without email",
            p("corp", "alice", "alice@x.com"),
            p("partner", "bob", null),
            false,
            false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairs")
  void onlyIssuerAndSubjectGrantRightsWhileEmailOnlyAddsRefusals(
      String name, Person a, Person b, boolean is, boolean mightBe) {
    assertThat(a.is(b)).isEqualTo(is);
    assertThat(b.is(a)).isEqualTo(is);
    assertThat(a.mightBe(b)).isEqualTo(mightBe);
    assertThat(b.mightBe(a)).isEqualTo(mightBe);
  }
}
