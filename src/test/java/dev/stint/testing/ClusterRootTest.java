package dev.stint.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The test clusters go in memory only where a directory with room is, and always to one place. */
class ClusterRootTest {
  @Test
  void noDirectoryOrAFileIsNoRoom(@TempDir Path dir) throws Exception {
    assertThat(ClusterRoot.hasRoom(dir.resolve("missing"))).isFalse();
    assertThat(ClusterRoot.hasRoom(Files.createFile(dir.resolve("a-file")))).isFalse();
  }

  @Test
  void aLinkInItsPlaceIsNotUsedAndItsOwnDirectoryIsMadePrivate(@TempDir Path dir) throws Exception {
    Path memory = Files.createDirectory(dir.resolve("memory"));
    Path disk = dir.resolve("disk");
    Path mine = ClusterRoot.ownDirectory(memory, disk).orElseThrow();
    assertThat(mine.getParent()).isEqualTo(memory);
    assertThat(ClusterRoot.ownDirectory(memory, disk)).contains(mine);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(mine)))
        .isEqualTo("rwx------");

    Files.delete(mine);
    Files.createSymbolicLink(mine, Files.createDirectory(dir.resolve("elsewhere")));
    assertThat(ClusterRoot.ownDirectory(memory, disk)).isEmpty();

    Files.delete(mine);
    Files.createDirectory(mine);
    Files.setPosixFilePermissions(mine, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertThat(ClusterRoot.ownDirectory(memory, disk)).contains(mine);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(mine)))
        .isEqualTo("rwx------");
  }

  @Test
  void aCheckoutAlwaysChoosesTheSameRoot() {
    Path root = ClusterRoot.choose();

    assertThat(ClusterRoot.choose()).isEqualTo(root);
    assertThat(root.isAbsolute()).isTrue();
    if (ClusterRoot.hasRoom(Path.of(ClusterRoot.MEMORY))) {
      assertThat(root.getParent()).isEqualTo(Path.of(ClusterRoot.MEMORY));
      assertThat(root.getFileName().toString()).startsWith("stint-test-postgres-");
    } else {
      assertThat(root).isEqualTo(Path.of("target", "test-postgres").toAbsolutePath());
    }
  }
}
