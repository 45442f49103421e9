package dev.stint.architecture;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The figures of the house's review (issue 70), measured on the compiled classes and the sources,
 * written to {@code target/house-figures.txt}: the public types of {@code access} and how many
 * other packages import, each package's {@code …Store} imported from another package, the loops of
 * files inside each package, the classes over 12 public methods, and the refusals with {@code
 * FORBIDDEN} outside {@code policy}. A report, not a rule (its name keeps it out of the suite):
 * {@code mvn -o test -Dtest=HouseFigures -Dsurefire.failIfNoSpecifiedTests=false} after a compile.
 * The rules that hold these figures down are {@link PackageInteriorsTest} and the others here.
 */
class HouseFigures {
  private static final String ROOT = "dev.stint";
  private static final Path OUT = Path.of("target/house-figures.txt");

  @Test
  void measure() throws IOException {
    JavaClasses classes = StintClasses.serverAndDevelopment();
    StringBuilder out = new StringBuilder();
    accessTypes(classes, out);
    stores(classes, out);
    loops(classes, out);
    fatClasses(classes, out);
    refusals(out);
    Files.writeString(OUT, out);
    System.out.print(out);
  }

  private static void accessTypes(JavaClasses classes, StringBuilder out) {
    String access = ROOT + ".access";
    SortedSet<String> topLevel = new TreeSet<>();
    SortedSet<String> nested = new TreeSet<>();
    for (JavaClass c : classes) {
      if (c.getPackageName().equals(access) && c.getModifiers().contains(JavaModifier.PUBLIC)) {
        (c.isTopLevelClass() ? topLevel : nested).add(c.getName().substring(access.length() + 1));
      }
    }
    SortedMap<String, SortedSet<String>> importers = new TreeMap<>();
    for (JavaClass c : classes) {
      if (c.getPackageName().startsWith(access)) {
        continue;
      }
      for (Dependency d : c.getDirectDependenciesFromSelf()) {
        JavaClass t = FileLoops.topLevel(d.getTargetClass().getBaseComponentType());
        if (t.getPackageName().equals(access) && topLevel.contains(t.getSimpleName())) {
          importers.computeIfAbsent(t.getSimpleName(), n -> new TreeSet<>()).add(pkg(c));
        }
      }
    }
    Set<String> outsideApp =
        importers.entrySet().stream()
            .filter(e -> e.getValue().stream().anyMatch(p -> !p.equals("app")))
            .map(Map.Entry::getKey)
            .collect(Collectors.toCollection(TreeSet::new));
    out.append("== public types of access\n")
        .append("top-level public types: ")
        .append(topLevel.size())
        .append(" (public nested types besides: ")
        .append(nested.size())
        .append(")\n")
        .append("imported by another package: ")
        .append(importers.size())
        .append(" (by a package other than app: ")
        .append(outsideApp.size())
        .append(")\n");
    importers.forEach((t, by) -> out.append("  ").append(t).append(" <- ").append(by).append('\n'));
    SortedSet<String> unimported = new TreeSet<>(topLevel);
    unimported.removeAll(importers.keySet());
    out.append("  not imported: ").append(unimported).append("\n\n");
  }

  private static void stores(JavaClasses classes, StringBuilder out) {
    SortedMap<String, SortedSet<String>> imports = new TreeMap<>();
    for (JavaClass c : classes) {
      for (Dependency d : c.getDirectDependenciesFromSelf()) {
        JavaClass t = FileLoops.topLevel(d.getTargetClass().getBaseComponentType());
        if (t.getPackageName().startsWith(ROOT + ".")
            && t.getSimpleName().endsWith("Store")
            && !pkg(t).equals(pkg(c))) {
          imports
              .computeIfAbsent(pkg(c), p -> new TreeSet<>())
              .add(t.getName().substring(ROOT.length() + 1));
        }
      }
    }
    long all = imports.values().stream().mapToLong(Set::size).sum();
    long outsideApp =
        imports.entrySet().stream()
            .filter(e -> !e.getKey().equals("app"))
            .mapToLong(e -> e.getValue().size())
            .sum();
    out.append("== another package's ...Store imported (package -> stores)\n")
        .append("pairs: ")
        .append(all)
        .append(" (outside app, which wires them: ")
        .append(outsideApp)
        .append(")\n");
    imports.forEach((p, s) -> out.append("  ").append(p).append(" -> ").append(s).append('\n'));
    out.append('\n');
  }

  private static void loops(JavaClasses classes, StringBuilder out) {
    SortedMap<String, List<FileLoops.Loop>> loops = FileLoops.of(classes);
    long count = loops.values().stream().mapToLong(List::size).sum();
    out.append("== loops of files inside a package (size [files])\n")
        .append("packages with a loop: ")
        .append(loops.size())
        .append(", loops: ")
        .append(count)
        .append('\n');
    loops.forEach(
        (p, l) ->
            out.append("  ")
                .append(p.substring(ROOT.length() + 1))
                .append(": ")
                .append(l.stream().map(x -> x.files().size()).toList())
                .append(' ')
                .append(l.stream().map(x -> x.files().toString()).collect(Collectors.joining(" ")))
                .append('\n'));
    out.append('\n');
  }

  private static void fatClasses(JavaClasses classes, StringBuilder out) {
    SortedMap<String, Integer> fat = PublicMethods.over(classes, PackageInteriorsTest.METHODS);
    out.append("== classes over ")
        .append(PackageInteriorsTest.METHODS)
        .append(" public methods (records excepted)\n")
        .append("classes: ")
        .append(fat.size())
        .append('\n');
    fat.forEach(
        (c, n) ->
            out.append("  ")
                .append(c.substring(ROOT.length() + 1))
                .append(' ')
                .append(n)
                .append('\n'));
    out.append('\n');
  }

  private static void refusals(StringBuilder out) {
    List<ForbiddenRefusals.Site> sites =
        java.util.stream.Stream.of(Path.of("src/main/java"), Path.of("src/dev/java"))
            .flatMap(root -> ForbiddenRefusals.in(root).stream())
            // policy is where the may-rules belong; error only defines StintException.forbidden.
            .filter(s -> !top(s.pkg()).equals("policy") && !top(s.pkg()).equals("error"))
            .toList();
    List<ForbiddenRefusals.Site> relayed =
        sites.stream().filter(s -> top(s.pkg()).equals("mint")).toList();
    SortedMap<String, List<ForbiddenRefusals.Site>> mayRules =
        sites.stream()
            .filter(s -> !top(s.pkg()).equals("mint"))
            .collect(Collectors.groupingBy(s -> s.pkg(), TreeMap::new, Collectors.toList()));
    out.append("== FORBIDDEN refusals outside policy (and error, which defines the factory)\n")
        .append("all: ")
        .append(sites.size())
        .append("; minting's failures (mint, mint.*: a cloud's refusal relayed, the grant ended): ")
        .append(relayed.size())
        .append("; stint's own may-rule refusals: ")
        .append(sites.size() - relayed.size())
        .append('\n');
    mayRules.forEach(
        (p, s) ->
            out.append("  ")
                .append(p)
                .append(' ')
                .append(s.size())
                .append(' ')
                .append(s)
                .append('\n'));
    out.append("  minting: ").append(relayed).append('\n');
  }

  /** A class's package under {@code dev.stint}, its sub-packages counted as it. */
  private static String pkg(JavaClass c) {
    return top(
        c.getPackageName().substring(Math.min(c.getPackageName().length(), ROOT.length() + 1)));
  }

  private static String top(String pkg) {
    int dot = pkg.indexOf('.');
    return dot < 0 ? pkg : pkg.substring(0, dot);
  }
}
