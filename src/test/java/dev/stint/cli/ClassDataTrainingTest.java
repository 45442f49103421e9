package dev.stint.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The run an install records the class-data archive from: it must complete (its policy must still
 * check, or the archive would lack the policy engine) and leave nothing behind.
 */
class ClassDataTrainingTest {
  @Test
  void theTrainingRunCompletesAndLeavesNoTemporaryHome() throws IOException {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    List<Path> before = trainingDirs(tmp);

    assertThatCode(() -> ClassDataTraining.main(new String[0])).doesNotThrowAnyException();

    assertThat(trainingDirs(tmp)).containsExactlyInAnyOrderElementsOf(before);
  }

  private static List<Path> trainingDirs(Path tmp) throws IOException {
    try (Stream<Path> files = Files.list(tmp)) {
      return files.filter(p -> p.getFileName().toString().startsWith("stint-training")).toList();
    }
  }
}
