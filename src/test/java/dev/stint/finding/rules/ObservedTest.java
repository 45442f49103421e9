package dev.stint.finding.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a call's source address and error say to the rules. */
class ObservedTest {
  static Observed from(String address, String error) {
    return new Observed(
        "e1",
        Instant.parse("2026-03-02T10:00:00Z"),
        "s3.amazonaws.com",
        "ListBuckets",
        "eu-west-1",
        Optional.ofNullable(address),
        Optional.ofNullable(error),
        Optional.empty(),
        false);
  }

  @ParameterizedTest
  @CsvSource(
      value = {
        "198.51.100.23, 198.51.100.0/24, false",
        "2001:db8:77:1::5, 2001:db8:77:0:0:0:0:0/48, false",
        "ec2.amazonaws.com, , true",
        "AWS Internal, , true",
        "ap-northeast-1.example, , true",
        "NULL, , false"
      },
      nullValues = "NULL")
  void aSourceIsANetworkOrAServiceCallingOnTheCallersBehalf(
      String address, String network, boolean byService) {
    Observed c = from(address, null);
    assertThat(c.network()).isEqualTo(Optional.ofNullable(network));
    assertThat(c.byService()).isEqualTo(byService);
  }

  @ParameterizedTest
  @CsvSource({
    "AccessDenied, true",
    "AccessDeniedException, true",
    "Client.UnauthorizedOperation, true",
    "UnauthorizedOperation, true",
    "AuthorizationFailed, true",
    "Forbidden, true",
    "ThrottlingException, false",
    "NoSuchBucket, false",
    "ValidationException, false"
  })
  void onlyARefusalForWantOfPermissionIsARefusal(String error, boolean refused) {
    assertThat(from("198.51.100.23", error).refused()).isEqualTo(refused);
  }
}
