package dev.stint.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.access.AccessRequest.RequestState;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.testing.AuditTables;
import dev.stint.testing.TestPolicies;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The issuance pipeline's way to open a request on the spot: only what the profile's {@code
 * auto_approve} approves is created, approved; anything else creates nothing.
 */
class AutoApprovedCreationTest {
  static AccessRig rig;
  static AccessUseCases access;

  @BeforeAll
  static void start(@TempDir Path policyDir) throws Exception {
    rig = new AccessRig(policyDir, TestPolicies::requests);
    access = rig.replica().access();
  }

  @AfterAll
  static void stop() throws Exception {
    rig.close();
  }

  static NewRequest sandbox() {
    return new NewRequest(
        "sandbox",
        Duration.ofMinutes(30),
        "auto-approved on credential request",
        Optional.empty(),
        Optional.empty(),
        false);
  }

  @Test
  void whatAutoApproveApprovesIsCreatedApproved() throws Exception {
    AccessRequest r =
        AuditTables.await(
            access
                .grants()
                .createAutoApproved(
                    rig.caller("wendy", "oncall"), sandbox(), rig.policies.current()));
    assertThat(r.state()).isEqualTo(RequestState.APPROVED);
    assertThat(r.grant()).isPresent();
  }

  @Test
  void anythingElseCreatesNothing() throws Exception {
    Throwable refused =
        AuditTables.failure(
            access
                .grants()
                .createAutoApproved(
                    rig.caller("xavier", "eng"), sandbox(), rig.policies.current()));
    assertThat(refused)
        .isInstanceOfSatisfying(
            StintException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.APPROVAL_REQUIRED));
    assertThat(
            AuditTables.strings(
                rig.url, "SELECT id FROM access_requests WHERE" + " requester_subject = 'xavier'"))
        .isEmpty();

    NewRequest breakGlass =
        new NewRequest(
            "sandbox", Duration.ofMinutes(30), "INC-1", Optional.empty(), Optional.empty(), true);
    assertThat(
            AuditTables.failure(
                access
                    .grants()
                    .createAutoApproved(
                        rig.caller("yara", "oncall"), breakGlass, rig.policies.current())))
        .isInstanceOfSatisfying(
            StintException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.APPROVAL_REQUIRED));
    assertThat(
            AuditTables.strings(
                rig.url, "SELECT id FROM access_requests WHERE" + " requester_subject = 'yara'"))
        .isEmpty();
  }
}
