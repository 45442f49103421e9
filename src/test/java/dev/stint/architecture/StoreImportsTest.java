package dev.stint.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import dev.stint.architecture.storefixture.ThingStore;
import dev.stint.architecture.storereader.ThingReader;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * No package names another package's {@code …Store}, {@code app} included: a store is how its
 * package keeps its tables, and others reach them through the package's ports and its assembly.
 */
class StoreImportsTest {
  private static final String ROOT = "dev.stint";

  /** Each class's use of a store of another package under {@code root}: "package -> store". */
  static SortedSet<String> foreignStores(JavaClasses classes, String root) {
    SortedSet<String> found = new TreeSet<>();
    for (JavaClass c : classes) {
      for (Dependency d : c.getDirectDependenciesFromSelf()) {
        JavaClass t = FileLoops.topLevel(d.getTargetClass().getBaseComponentType());
        if (t.getPackageName().startsWith(root + ".")
            && t.getSimpleName().endsWith("Store")
            && !pkg(t, root).equals(pkg(c, root))) {
          found.add(pkg(c, root) + " -> " + t.getName().substring(root.length() + 1));
        }
      }
    }
    return found;
  }

  private static String pkg(JavaClass c, String root) {
    String rest =
        c.getPackageName().substring(Math.min(c.getPackageName().length(), root.length() + 1));
    int dot = rest.indexOf('.');
    return dot < 0 ? rest : rest.substring(0, dot);
  }

  @Test
  void noPackageNamesAnotherPackagesStore() {
    assertThat(foreignStores(StintClasses.serverAndDevelopment(), ROOT))
        .as("stores named outside their package: reach them through the package's ports")
        .isEmpty();
  }

  @Test
  void aClassNamingAnotherPackagesStoreIsFound() {
    JavaClasses fixture =
        new ClassFileImporter().importClasses(ThingReader.class, ThingStore.class);

    assertThat(foreignStores(fixture, ROOT + ".architecture"))
        .containsExactly("storereader -> storefixture.ThingStore");
  }
}
