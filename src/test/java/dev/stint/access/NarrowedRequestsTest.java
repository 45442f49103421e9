package dev.stint.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.access.AccessRequest.RequestState;
import dev.stint.access.NewRequest.Narrowed;
import dev.stint.common.ParameterValues;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.testing.AuditTables;
import dev.stint.testing.TestIdp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A request on a narrowed profile carries its values and the policy they fill into its grant; one
 * filed without them is refused on the record, and nothing is created that could be approved into a
 * grant of the whole role.
 */
class NarrowedRequestsTest {
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
    rig = new AccessRig(policyDir, NarrowedRequestsTest::policy);
    access = rig.replica().access();
  }

  @AfterAll
  static void stop() throws Exception {
    rig.close();
  }

  private static NewRequest asked(String profile) {
    return asked(profile, ParameterValues.NONE);
  }

  private static NewRequest asked(String profile, ParameterValues values) {
    return new NewRequest(
        profile,
        Duration.ofMinutes(30),
        "INC-7 read",
        Optional.empty(),
        Optional.empty(),
        false,
        Narrowed.asked(values));
  }

  @Test
  void aNarrowedRequestsGrantCarriesItsValuesAndTheFilledPolicy() throws Exception {
    ParameterValues logs = ParameterValues.of(Map.of("bucket", "team-logs"));
    AccessRequest r =
        AuditTables.await(access.requests().create(rig.caller("nora"), asked("s3-read", logs)));
    AccessRequest approved =
        AuditTables.await(
            access
                .decisions()
                .decide(rig.caller("otto"), r.id(), Action.APPROVE, Optional.empty()));

    assertThat(r.narrowed().values()).isEqualTo(logs);
    assertThat(r.narrowed().policy().orElseThrow().json())
        .isEqualTo(
            "[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::team-logs/*\"}]");
    assertThat(approved.grant().orElseThrow().narrowed()).isEqualTo(r.narrowed());
    assertThat(AuditTables.await(access.grants().activeGrant(rig.caller("nora"), "s3-read", logs)))
        .map(Grant::id)
        .isEqualTo(approved.grant().map(Grant::id));
    assertThat(
            AuditTables.await(
                access
                    .grants()
                    .activeGrant(
                        rig.caller("nora"),
                        "s3-read",
                        ParameterValues.of(Map.of("bucket", "team-data")))))
        .isEmpty();
    assertThat(
            AuditTables.strings(
                rig.url,
                "SELECT details->'parameters'->>'bucket' FROM audit_events"
                    + " WHERE type = 'request.created' AND actor_subject = 'nora'"))
        .containsExactly("team-logs");
  }

  @Test
  void filingANarrowedProfileWithoutItsValuesIsRefusedOnTheRecordAndCreatesNothing()
      throws Exception {
    StintException refused =
        (StintException)
            AuditTables.failure(access.requests().create(rig.caller("nina"), asked("s3-read")));

    assertThat(refused.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(refused.getMessage())
        .isEqualTo("parameters of profile 's3-read': bucket: no value given");
    assertThat(AuditTables.count(rig.url, "type = 'request.refused' AND actor_subject = 'nina'"))
        .isEqualTo(1);
    assertThat(AuditTables.count(rig.url, "type = 'request.created' AND actor_subject = 'nina'"))
        .isZero();
  }

  @Test
  void aProfileWithoutParametersIsFiledAsBefore() throws Exception {
    AccessRequest r =
        AuditTables.await(access.requests().create(rig.caller("omar"), asked("whole")));

    assertThat(r.profile()).isEqualTo("whole");
    assertThat(r.state()).isEqualTo(RequestState.PENDING);
  }
}
