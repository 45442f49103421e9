package dev.stint.activity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RoleIdentitiesTest {
  @ParameterizedTest
  @CsvSource({
    "arn:aws:iam::111122223333:role/prod, arn:aws:iam::111122223333:role/prod, true",
    "arn:aws:iam::111122223333:role/prod, arn:aws:iam::111122223333:role/PROD, true",
    "arn:aws:iam::111122223333:role/prod, arn:aws:iam::111122223333:role/a/b/Prod, true",
    "arn:aws:iam::111122223333:role/prod, arn:aws:iam::111122223333:role/prod2, false",
    "arn:aws:iam::111122223333:role/prod, arn:aws:iam::111122223334:role/prod, false",
    "arn:aws:iam::111122223333:role/prod, arn:aws-us-gov:iam::111122223333:role/prod, false",
    "arn:aws:iam::111122223333:role/prod, arn:aws:iam::111122223333:user/prod, false",
    "arn:aws:iam::111122223333:role/prod, arn:aws:sts::111122223333:assumed-role/prod/x, false",
  })
  void rolesAreTheSameWhenIamWouldTakeThemForOne(String a, String b, boolean same) {
    assertThat(RoleIdentities.of(a)).isPresent();
    assertThat(RoleIdentities.of(a).equals(RoleIdentities.of(b))).isEqualTo(same);
  }

  @ParameterizedTest
  @CsvSource({
    "not-an-arn",
    "arn:aws:iam::1111:role/short-account",
    "arn:aws:iam::111122223333:role/"
  })
  void anythingButARoleArnIdentifiesNoRole(String arn) {
    assertThat(RoleIdentities.of(arn)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"arn:aws:iam::111122223333:role/\u212Aelly, arn:aws:iam::111122223333:role/kelly"})
  void onlyAsciiLettersFoldSoNoOtherCharacterPassesForOne(String a, String b) {
    assertThat(RoleIdentities.of(a).equals(RoleIdentities.of(b))).isFalse();
  }
}
