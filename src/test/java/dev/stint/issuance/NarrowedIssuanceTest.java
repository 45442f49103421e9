package dev.stint.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.access.NewRequest.Narrowed;
import dev.stint.common.ParameterValues;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.policy.Profile;
import dev.stint.testing.PolicyFixtures;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A narrowed grant is minted on only with the very document its approvers saw: the same template
 * filled with its values again.
 */
class NarrowedIssuanceTest {
  static final ParameterValues LOGS = ParameterValues.of(Map.of("bucket", "team-logs"));

  static Profile profile(String actions, boolean narrowed) {
    String aws =
        "    aws:\n"
            + "      role_arn: 'arn:aws:iam::111122223333:role/reader'\n"
            + "      mode: assume_role\n"
            + (narrowed
                ? "      session_policy: {Version: '2012-10-17', Statement: [{Effect: Allow,"
                    + " Action: "
                    + actions
                    + ", Resource: 'arn:aws:s3:::${bucket}/*'}]}\n"
                    + "    parameters:\n"
                    + "      bucket: {pattern: '[a-z0-9-]{3,63}', description: The bucket}\n"
                : "");
    return PolicyFixtures.load(
            "profiles:\n"
                + "  s3-read:\n"
                + aws
                + "    max_duration: 1h\n"
                + "    requesters: 'true'\n"
                + "    approval: {count: 1, approvers: 'true'}\n")
        .profile("s3-read")
        .orElseThrow();
  }

  static Narrowed approvedOn(Profile profile, ParameterValues values) {
    return new Narrowed(values, profile.narrowedPolicy(values));
  }

  @Test
  void theDocumentApprovedIsMintedOn() {
    Profile today = profile("'s3:GetObject'", true);

    assertThat(NarrowedIssuance.unlessAsApproved(today, approvedOn(today, LOGS))).isEmpty();
    assertThat(NarrowedIssuance.unlessAsApproved(profile("'s3:GetObject'", false), Narrowed.NONE))
        .isEmpty();
  }

  @Test
  void aTemplateEditedAfterApprovalServesTheGrantNoMore() {
    Narrowed approved = approvedOn(profile("'s3:GetObject'", true), LOGS);

    Optional<StintException> wider =
        NarrowedIssuance.unlessAsApproved(
            profile("['s3:GetObject', 's3:PutObject']", true), approved);

    assertThat(wider).isPresent();
    assertThat(wider.get().code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(wider.get().getMessage())
        .contains("profile 's3-read' changed since this grant was approved: its narrowed policy");
  }

  @Test
  void aGrantApprovedNarrowedOnAProfileNoLongerNarrowedIsServedNoMore() {
    Narrowed approved = approvedOn(profile("'s3:GetObject'", true), LOGS);

    Optional<StintException> refused =
        NarrowedIssuance.unlessAsApproved(profile("'s3:GetObject'", false), approved);

    assertThat(refused.map(StintException::code)).contains(ErrorCode.INVALID_REQUEST);
    assertThat(refused.get().getMessage()).contains("takes no parameters");
  }

  @Test
  void aGrantApprovedWholeOnAProfileNarrowedSinceIsServedNoMore() {
    Optional<StintException> refused =
        NarrowedIssuance.unlessAsApproved(profile("'s3:GetObject'", true), Narrowed.NONE);

    assertThat(refused.map(StintException::code)).contains(ErrorCode.INVALID_REQUEST);
    assertThat(refused.get().getMessage()).contains("bucket: no value given");
  }

  @Test
  void aDocumentRecordedOtherwiseThanTheTemplateFillsIsNotMintedOn() {
    Profile today = profile("'s3:GetObject'", true);
    Narrowed tampered =
        new Narrowed(
            LOGS, approvedOn(today, ParameterValues.of(Map.of("bucket", "team-data"))).policy());

    assertThat(NarrowedIssuance.unlessAsApproved(today, tampered).map(StintException::code))
        .contains(ErrorCode.CONFLICT);
  }

  @Test
  void theDocumentTheAskFilledIsComparedWithoutFillingAgain() {
    Profile today = profile("'s3:GetObject'", true);
    Narrowed approved = approvedOn(today, LOGS);
    Narrowed filledWider =
        new Narrowed(LOGS, profile("['s3:GetObject', 's3:PutObject']", true).narrowedPolicy(LOGS));

    assertThat(NarrowedIssuance.unlessAsApproved(today, approved, Optional.of(approved))).isEmpty();
    assertThat(
            NarrowedIssuance.unlessAsApproved(today, approved, Optional.of(filledWider))
                .map(StintException::code))
        .contains(ErrorCode.CONFLICT);
  }
}
