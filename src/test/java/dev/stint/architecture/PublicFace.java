package dev.stint.architecture;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * How wide a package's face is: its public top-level types (a public type nested in one is part of
 * it), and those of them that classes of other packages depend on, nested types folded into their
 * top-level one. {@link #check} fails when either is over its cap, naming them and who imports
 * each.
 */
record PublicFace(String pkg, int maxPublic, int maxImported) {
  /** The public top-level types of {@link #pkg}, by simple name. */
  SortedSet<String> publicTypes(JavaClasses classes) {
    SortedSet<String> out = new TreeSet<>();
    for (JavaClass c : classes) {
      if (c.getPackageName().equals(pkg)
          && c.isTopLevelClass()
          && c.getModifiers().contains(JavaModifier.PUBLIC)) {
        out.add(c.getSimpleName());
      }
    }
    return out;
  }

  /** Each public top-level type another package depends on, with the packages that do. */
  SortedMap<String, SortedSet<String>> imported(JavaClasses classes) {
    SortedSet<String> shown = publicTypes(classes);
    SortedMap<String, SortedSet<String>> out = new TreeMap<>();
    for (JavaClass c : classes) {
      if (c.getPackageName().equals(pkg) || c.getPackageName().startsWith(pkg + ".")) {
        continue;
      }
      for (Dependency d : c.getDirectDependenciesFromSelf()) {
        JavaClass t = FileLoops.topLevel(d.getTargetClass().getBaseComponentType());
        if (t.getPackageName().equals(pkg) && shown.contains(t.getSimpleName())) {
          out.computeIfAbsent(t.getSimpleName(), k -> new TreeSet<>()).add(c.getPackageName());
        }
      }
    }
    return out;
  }

  void check(JavaClasses classes) {
    SortedSet<String> shown = publicTypes(classes);
    SortedMap<String, SortedSet<String>> imported = imported(classes);
    if (shown.size() > maxPublic || imported.size() > maxImported) {
      throw new AssertionError(
          pkg
              + " shows "
              + shown.size()
              + " public types (at most "
              + maxPublic
              + "), "
              + imported.size()
              + " of them imported by other packages (at most "
              + maxImported
              + "): only its ports and their values may leave it.\npublic: "
              + shown
              + "\nimported: "
              + imported);
    }
  }
}
