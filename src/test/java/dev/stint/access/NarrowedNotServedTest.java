package dev.stint.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.testing.AuditTables;
import dev.stint.testing.TestIdp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A profile narrowed by parameters loads and is checked, but requests do not carry the values to
 * fill yet: filing one is refused on the record, and nothing is created that could be approved into
 * a grant of the whole role.
 */
class NarrowedNotServedTest {
  static AccessRig rig;
  static AccessUseCases access;

  static String policy(TestIdp idp) {
    return "issuers:\n"
        + idp.issuerYaml("corp")
        + "profiles:\n"
        + "  s3-read:\n"
        + "    aws:\n"
        + "      role_arn: 'arn:aws:iam::111122223333:role/reader'\n"
        + "      session_policy: {Version: '2012-10-17', Statement: [{Effect: Allow,"
        + " Action: 's3:GetObject', Resource: 'arn:aws:s3:::${bucket}/*'}]}\n"
        + "    parameters:\n"
        + "      bucket: {pattern: '[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]', description: The bucket}\n"
        + "    max_duration: 1h\n"
        + "    requesters: 'true'\n"
        + "    approval: {count: 1, approvers: 'true'}\n"
        + "  whole:\n"
        + "    aws: {role_arn: 'arn:aws:iam::111122223333:role/reader', mode: assume_role}\n"
        + "    max_duration: 1h\n"
        + "    requesters: 'true'\n"
        + "    approval: {count: 1, approvers: 'true'}\n";
  }

  @BeforeAll
  static void start(@TempDir Path policyDir) throws Exception {
    rig = new AccessRig(policyDir, NarrowedNotServedTest::policy);
    access = rig.replica().access();
  }

  @AfterAll
  static void stop() throws Exception {
    rig.close();
  }

  private static NewRequest asked(String profile) {
    return new NewRequest(
        profile, Duration.ofMinutes(30), "INC-7 read", Optional.empty(), Optional.empty(), false);
  }

  @Test
  void filingANarrowedProfileIsRefusedOnTheRecordAndCreatesNothing() throws Exception {
    StintException refused =
        (StintException)
            AuditTables.failure(access.requests().create(rig.caller("nina"), asked("s3-read")));

    assertThat(refused.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(refused.getMessage())
        .contains("profile 's3-read' is narrowed by parameters (bucket)");
    assertThat(AuditTables.count(rig.url, "type = 'request.refused' AND actor_subject = 'nina'"))
        .isEqualTo(1);
    assertThat(AuditTables.count(rig.url, "type = 'request.created'")).isZero();
  }

  @Test
  void aProfileWithoutParametersIsFiledAsBefore() throws Exception {
    AccessRequest r =
        AuditTables.await(access.requests().create(rig.caller("omar"), asked("whole")));

    assertThat(r.profile()).isEqualTo("whole");
    assertThat(r.state()).isEqualTo(RequestState.PENDING);
  }
}
