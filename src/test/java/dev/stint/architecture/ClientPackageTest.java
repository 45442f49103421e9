package dev.stint.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.stint.app.Launcher;
import dev.stint.cli.ClassDataTraining;
import dev.stint.cli.CliMain;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client package holds what its entry point ({@link CliMain}) reaches (packaging/dist.sh); this
 * keeps that free of the server: no HTTP server, database, minting, audit log writer or Vert.x. A
 * CLI command that came to use one would make every laptop carry the server again.
 */
class ClientPackageTest {
  private static final List<String> SERVER_ONLY =
      List.of(
          "dev.stint.app.",
          "dev.stint.http.",
          "dev.stint.web.",
          "dev.stint.db.",
          "dev.stint.access.",
          "dev.stint.extension.",
          "dev.stint.issuance.",
          "dev.stint.mint.",
          "dev.stint.revocation.",
          "dev.stint.outbox.",
          "dev.stint.notify.",
          "dev.stint.sink.",
          "dev.stint.retention.",
          "dev.stint.ledger.",
          "dev.stint.demo.",
          "dev.stint.standin.",
          "io.vertx.",
          "io.netty.",
          "org.flywaydb.",
          "io.zonky.");

  static JavaClasses main;

  @BeforeAll
  static void read() {
    main =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.stint", "picocli");
  }

  @Test
  void theClientsEntryPointReachesNothingOfTheServer() {
    assertThat(serverOnly(reached(CliMain.class))).isEmpty();
    assertThat(serverOnly(reached(ClassDataTraining.class))).isEmpty();
  }

  /** The check must be able to fail: the full build's entry point reaches the server. */
  @Test
  void theFullBuildsEntryPointDoesReachTheServer() {
    assertThat(serverOnly(reached(Launcher.class)))
        .anyMatch(c -> c.startsWith("dev.stint.app."))
        .anyMatch(c -> c.startsWith("io.vertx."));
  }

  private static Set<String> reached(Class<?> entry) {
    JavaClass root = main.get(entry);
    Set<String> names = new TreeSet<>();
    root.getTransitiveDependenciesFromSelf().forEach(d -> names.add(d.getTargetClass().getName()));
    return names;
  }

  private static Set<String> serverOnly(Set<String> classes) {
    Set<String> found = new TreeSet<>();
    for (String c : classes) {
      if (SERVER_ONLY.stream().anyMatch(c::startsWith)) {
        found.add(c);
      }
    }
    return found;
  }
}
