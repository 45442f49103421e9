package dev.stint.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the demo keeps its state: a temporary home goes when the demo stops; a kept one ({@code
 * make run}'s) stays, with the ports of its issuers, so that its people stay who they were.
 */
class DemoHomeTest {
  @TempDir Path dir;

  @Test
  void aTemporaryHomeIsDeletedOnCloseAndRemembersNothing() throws Exception {
    DemoHome home = DemoHome.temporary();
    Files.writeString(home.dir().resolve("file"), "x");
    home.remember(DemoHome.IDP, 41234);
    assertThat(home.kept()).isFalse();
    assertThat(home.port(DemoHome.IDP)).isZero();
    home.close();
    assertThat(home.dir()).doesNotExist();
  }

  @Test
  void aKeptHomeStaysAndItsIssuersKeepTheirPorts() throws Exception {
    Path kept = dir.resolve("stint-dev");
    DemoHome first = DemoHome.kept(kept);
    assertThat(first.kept()).isTrue();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kept)))
        .as("the development database's passwords and keys are its user's alone")
        .isEqualTo("rwx------");
    assertThat(first.port(DemoHome.IDP)).as("any free port at the first run").isZero();
    first.remember(DemoHome.IDP, 41234);
    first.remember(DemoHome.CI_ISSUER, 41235);
    Files.writeString(first.dir().resolve("data"), "kept");
    first.close();

    DemoHome next = DemoHome.kept(kept);
    assertThat(next.port(DemoHome.IDP)).isEqualTo(41234);
    assertThat(next.port(DemoHome.CI_ISSUER)).isEqualTo(41235);
    assertThat(next.dir().resolve("data")).hasContent("kept");
    assertThat(next.portTaken("the development IdP", 41234))
        .startsWith("the development IdP's port 41234 on 127.0.0.1 is in use")
        .contains("delete " + next.dir() + " to start over");
  }

  @Test
  void aKeptPolicyCopyLosesAFileTheShippedPolicyNoLongerHas() throws Exception {
    Path target = Files.createDirectories(dir.resolve("policies"));
    Files.writeString(target.resolve("removed-since.yaml"), "profiles: {}\n");
    new DemoPolicies(Path.of("policies", "demo"))
        .writeTo(target, "http://127.0.0.1:1", "http://127.0.0.1:2");
    try (var files = Files.list(target)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .containsExactlyInAnyOrder("issuers.yaml", "stint.yaml");
    }
  }
}
