package dev.stint.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.config.DatabaseUrl;
import dev.stint.error.StintException;
import dev.stint.extension.Extended;
import dev.stint.extension.Extension;
import dev.stint.extension.ExtensionService;
import dev.stint.extension.Extensions;
import dev.stint.notify.Notification;
import dev.stint.notify.RequestNotifier;
import dev.stint.outbox.Outbox;
import dev.stint.testing.AuditTables;
import dev.stint.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pending extension never outlives its grant: revoking the grant or reaching its end makes the
 * sweeper expire it (audited, once), and nobody can approve it afterwards.
 */
class ExtensionSweepTest {
  static final List<Notification> sent = Collections.synchronizedList(new ArrayList<>());
  static AccessRig rig;
  static MutableClock clock;
  static DatabaseUrl url;
  static AccessUseCases access;
  static ExtensionService service;
  static Extensions extensions;

  @BeforeAll
  static void start(@TempDir Path policyDir) throws Exception {
    rig =
        new AccessRig(
            policyDir,
            idp ->
                "issuers:\n"
                    + idp.issuerYaml("corp")
                    + "profiles:\n  ext:\n"
                    + "    aws: {role_arn: \"arn:aws:iam::111122223333:role/prod\"}\n"
                    + "    max_duration: 1h\n    requesters: 'true'\n"
                    + "    approval: {count: 1, approvers: 'principal.groups.exists(g, g == \"sre\")',"
                    + " auto_approve: 'principal.groups.exists(g, g == \"oncall\")'}\n"
                    + "    extension: {max_total: 4h, approval: required}\n");
    clock = rig.clock;
    url = rig.url;
    AccessRig.Replica replica = rig.replica();
    access = replica.access();
    service =
        new ExtensionService(
            replica.db().pool(),
            new Outbox<>(replica.db().pool()),
            rig.policies,
            replica.audit(),
            clock);
    service.listen(new RequestNotifier(sent::add, AccessRig::link));
    extensions = service.extensions();
  }

  @AfterAll
  static void stop() throws Exception {
    rig.close();
  }

  static Caller caller(String user, String... groups) {
    return rig.caller(user, groups);
  }

  static String grantWithPendingExtension(String user) throws Exception {
    AccessRequest r =
        AuditTables.await(
            access
                .requests()
                .create(
                    caller(user),
                    new NewRequest(
                        "ext",
                        Duration.ofMinutes(30),
                        "",
                        Optional.empty(),
                        Optional.empty(),
                        false)));
    AuditTables.await(
        access.decisions().decide(caller("bob", "sre"), r.id(), Action.APPROVE, Optional.empty()));
    Extended e =
        AuditTables.await(
            extensions.extend(caller(user), r.id(), Duration.ofMinutes(30), "need more"));
    return e.extension().id();
  }

  static List<String> types(String extensionId) throws Exception {
    return AuditTables.strings(
        url,
        "SELECT type FROM audit_events WHERE details->>'extension_id'"
            + " = '"
            + extensionId
            + "' ORDER BY seq");
  }

  @Test
  void theProfilesAutoApproveAppliesToExtensionsToo() throws Exception {
    clock.set(AccessRig.T0);
    AccessRequest r =
        AuditTables.await(
            access
                .requests()
                .create(
                    caller("gina", "oncall"),
                    new NewRequest(
                        "ext",
                        Duration.ofMinutes(30),
                        "",
                        Optional.empty(),
                        Optional.empty(),
                        false)));
    Extended e =
        AuditTables.await(
            extensions.extend(caller("gina", "oncall"), r.id(), Duration.ofMinutes(30), "more"));
    assertThat(e.extension().state()).isEqualTo(Extension.State.APPROVED);
    assertThat(e.grantEndsAt()).contains(AccessRig.T0.plus(Duration.ofHours(1)));
  }

  @Test
  void extensionsOfRevokedOrEndedGrantsExpireAndCannotBeApproved() throws Exception {
    clock.set(AccessRig.T0);
    String ofRevoked = grantWithPendingExtension("dave");
    String ofEnded = grantWithPendingExtension("erin");
    String stillActive;
    assertThat(types(ofRevoked)).containsExactly("grant.extension_requested");

    String revokedRequest =
        AuditTables.strings(
                url, "SELECT request_id FROM grant_extensions" + " WHERE id = '" + ofRevoked + "'")
            .get(0);
    AuditTables.await(
        access.decisions().decide(caller("dave"), revokedRequest, Action.REVOKE, Optional.empty()));
    clock.set(AccessRig.T0.plus(Duration.ofMinutes(5)));
    stillActive = grantWithPendingExtension("frank");
    assertThat(AuditTables.await(service.sweeps().sweep())).isEqualTo(1);
    assertThat(types(ofRevoked))
        .containsExactly("grant.extension_requested", "grant.extension_expired");

    Throwable late =
        AuditTables.failure(
            extensions.decide(caller("bob", "sre"), ofRevoked, Action.APPROVE, Optional.empty()));
    assertThat(late)
        .isInstanceOf(StintException.class)
        .hasMessageContaining("extension is expired, not pending");

    clock.set(AccessRig.T0.plus(Duration.ofMinutes(31)));
    assertThat(AuditTables.await(service.sweeps().sweep())).isEqualTo(1);
    assertThat(AuditTables.await(service.sweeps().sweep())).isZero();
    assertThat(types(ofEnded)).endsWith("grant.extension_expired");
    assertThat(types(stillActive)).containsExactly("grant.extension_requested");
    assertThat(
            AuditTables.strings(
                url, "SELECT state FROM grant_extensions WHERE id = '" + stillActive + "'"))
        .containsExactly("pending");
    assertThat(
            AuditTables.strings(
                url,
                "SELECT actor_subject FROM audit_events WHERE type ="
                    + " 'grant.extension_expired'"))
        .containsOnly("system");
    synchronized (sent) {
      assertThat(sent).extracting(Notification::event).contains("grant.extension_requested");
    }
  }
}
