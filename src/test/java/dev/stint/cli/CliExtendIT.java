package dev.stint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.testing.CliRun;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code stint extend} and {@code stint approve ext_…} against a running server. */
class CliExtendIT {
  static TestIdp idp;
  static TestServer server;
  @TempDir Path home;

  @BeforeAll
  static void start() {
    idp = new TestIdp("corp");
    server =
        TestServer.start(
            TestPostgres.migratedDatabase(),
            Map.of(),
            "issuers:\n"
                + idp.issuerYaml("corp")
                + "profiles:\n  prod:\n"
                + "    aws: {role_arn: \"arn:aws:iam::111122223333:role/prod\"}\n"
                + "    max_duration: 1h\n    requesters: 'true'\n"
                + "    approval: {count: 1, approvers: 'principal.groups.exists(g, g == \"sre\")'}\n"
                + "    extension: {max_total: 2h, approval: required}\n");
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    idp.close();
  }

  CliRun as(String token, String... args) {
    return CliRun.run(
        home, Map.of("STINT_SERVER", server.uri("/").toString(), "STINT_TOKEN", token), args);
  }

  @Test
  void extendThenApproveTheExtension() throws Exception {
    String alice = idp.token("alice", "eng");
    String bob = idp.token("bob", "sre");
    CliRun created = as(alice, "request", "prod", "--duration", "30m", "-o", "json");
    String id = new ObjectMapper().readTree(created.out()).get("id").asText();
    as(bob, "approve", id);

    CliRun bad = as(alice, "extend", id, "--by", "soon");
    assertThat(bad.exitCode()).isEqualTo(CliException.USAGE);
    assertThat(bad.err()).contains("--by:");

    CliRun tooLong = as(alice, "extend", id, "--by", "2h");
    assertThat(tooLong.exitCode()).isEqualTo(CliException.REFUSED);
    assertThat(tooLong.err()).contains("allows at most 2h from its start (1h30m left to extend)");

    CliRun asked = as(alice, "extend", id, "--by", "1h", "--reason", "still at it");
    assertThat(asked.exitCode()).as(asked.err()).isZero();
    assertThat(asked.out())
        .startsWith("extension ext_")
        .contains(" of " + id + " (+1h) is pending," + " needs 1 approval(s): stint approve ext_");
    String ext = asked.out().split(" ")[1];

    CliRun queue = as(bob, "extensions", "--pending");
    assertThat(queue.exitCode()).as(queue.err()).isZero();
    assertThat(queue.out())
        .startsWith("ID")
        .contains(ext)
        .contains(id)
        .contains("pending")
        .contains("alice@example.com")
        .contains("0/1")
        .contains("still at it");
    CliRun stranger = as(idp.token("mallory", "eng"), "extensions", "--pending", "-o", "json");
    assertThat(stranger.out().strip()).isEqualTo("[ ]");

    CliRun self = as(idp.token("alice", "eng", "sre"), "approve", ext);
    assertThat(self.exitCode()).isEqualTo(CliException.REFUSED);
    assertThat(self.err()).contains("you cannot approve your own extension");

    CliRun ok = as(bob, "approve", ext);
    assertThat(ok.exitCode()).as(ok.err()).isZero();
    assertThat(ok.out())
        .startsWith(
            "approved " + ext + ": now approved (1/1 approvals); the grant" + " now ends at ");

    assertThat(as(bob, "extensions", "--pending").out()).doesNotContain(ext);
    CliRun list = as(alice, "requests", "--mine");
    assertThat(list.out()).contains(id).containsPattern("\\(in 1h(29m|30m)\\)");
  }
}
