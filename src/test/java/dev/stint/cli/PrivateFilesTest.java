package dev.stint.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stint.cli.agent.AgentToken;
import dev.stint.cli.lease.LeaseToken;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Token files are written owner-only and read back only while they stay so, for every kind. */
class PrivateFilesTest {
  private static final String AGENT =
      "sta_abcdefghijklmnopqrstuvwx.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  private static final String LEASE =
      "stl_abcdefghijklmnopqrstuvwx.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

  @TempDir Path dir;

  @Test
  void aTokenWrittenPrivatelyIsReadBackAsItsKind() throws Exception {
    Path agent = dir.resolve("keys/agent");
    Path lease = dir.resolve("keys/lease");
    PrivateFiles.write(agent, AGENT + "\n");
    PrivateFiles.write(lease, LEASE + "\n");

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(agent)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(agent.getParent())))
        .isEqualTo("rwx------");
    assertThat(AgentToken.read(agent).bearer()).isEqualTo(AGENT);
    assertThat(LeaseToken.read(lease).lease()).isEqualTo("lse_abcdefghijklmnopqrstuvwx");
  }

  @Test
  void anAgentFileOthersMayReadIsRefusedNamingTheFixAndNeverTheToken() throws Exception {
    Path agent = dir.resolve("agent");
    PrivateFiles.write(agent, AGENT);
    Files.setPosixFilePermissions(agent, PosixFilePermissions.fromString("rw-r-----"));

    assertThatThrownBy(() -> AgentToken.read(agent))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("agent file " + agent + " may be read or changed by others")
        .hasMessageContaining("mode rw-r-----")
        .hasMessageContaining("chmod 600 " + agent)
        .hasMessageNotContaining(AGENT);
  }

  @Test
  void aFileOthersMayOnlyChangeIsRefusedToo() throws Exception {
    Path lease = dir.resolve("lease");
    PrivateFiles.write(lease, LEASE);
    Files.setPosixFilePermissions(lease, PosixFilePermissions.fromString("rw-----w-"));

    assertThatThrownBy(() -> LeaseToken.read(lease))
        .hasMessageContaining("lease token file " + lease + " may be read or changed by others");
  }

  @Test
  void aFileLargerThanATokenIsRefusedUnread() throws Exception {
    Path agent = dir.resolve("agent");
    PrivateFiles.write(agent, AGENT + "\n" + "x".repeat(1024));

    assertThatThrownBy(() -> AgentToken.read(agent))
        .hasMessage("agent file " + agent + " is larger than an agent token");
  }

  @Test
  void aFileOfExactlyTheLimitIsStillRead() throws Exception {
    Path file = dir.resolve("padded");
    PrivateFiles.write(file, AGENT + " ".repeat(1024 - AGENT.length()));

    assertThat(AgentToken.read(file).bearer()).isEqualTo(AGENT);
  }

  @Test
  void aMissingFileIsNamedAsMissing() {
    Path nowhere = dir.resolve("nowhere");

    assertThatThrownBy(() -> LeaseToken.read(nowhere))
        .hasMessage("lease token file " + nowhere + " does not exist");
  }

  @Test
  void aFileHoldingAnotherKindOfTokenIsRefusedWithoutSendingIt() throws Exception {
    Path file = dir.resolve("lease-as-agent");
    PrivateFiles.write(file, LEASE);

    assertThatThrownBy(() -> AgentToken.read(file))
        .hasMessageContaining("does not hold a stint agent token")
        .hasMessageNotContaining(LEASE);
  }
}
