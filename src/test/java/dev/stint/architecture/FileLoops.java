package dev.stint.architecture;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The loops of files inside each package: the strongly connected components of two or more files in
 * the graph of one package's files, where a file is a top-level class with everything nested in it
 * (its records, enums, lambdas and anonymous classes) and an edge is any dependency the compiled
 * classes show (a call, a field, a parameter, a type argument, an annotation). Sub-packages are
 * packages of their own. A constant the compiler copied into its reader is no dependency, as it is
 * none at run time either.
 *
 * <p>A sealed type and the classes it permits in its package are one file here ({@link #file}): the
 * compiler holds them as one closed set (the type lists them, each names the type), and the visitor
 * such a type offers names each of them so that the compiler lists every place they differ, which
 * is the loop the language asks for. A file outside the set that reads into it and is read back
 * still makes a loop with the set, named by the sealed type.
 */
final class FileLoops {
  private FileLoops() {}

  /** A loop of files: the simple names of its top-level classes, in order. */
  record Loop(SortedSet<String> files) {
    @Override
    public String toString() {
      return files.size() + " " + files;
    }
  }

  /** Package → its loops, largest first; packages without a loop are left out. */
  static SortedMap<String, List<Loop>> of(Iterable<JavaClass> classes) {
    Map<String, Map<String, Set<String>>> graphs = new TreeMap<>();
    for (JavaClass c : classes) {
      JavaClass file = file(c);
      Set<String> edges =
          graphs
              .computeIfAbsent(file.getPackageName(), p -> new TreeMap<>())
              .computeIfAbsent(file.getSimpleName(), f -> new TreeSet<>());
      for (Dependency d : c.getDirectDependenciesFromSelf()) {
        JavaClass target = file(d.getTargetClass().getBaseComponentType());
        if (target.getPackageName().equals(file.getPackageName()) && !target.equals(file)) {
          edges.add(target.getSimpleName());
        }
      }
    }
    SortedMap<String, List<Loop>> out = new TreeMap<>();
    graphs.forEach(
        (pkg, graph) -> {
          List<Loop> loops = new Components(graph).loops();
          if (!loops.isEmpty()) {
            out.put(pkg, loops);
          }
        });
    return out;
  }

  /**
   * The file a class counts in: its top-level class ({@link #topLevel}), or, when that is permitted
   * by a sealed type of its package, that sealed type's file.
   */
  static JavaClass file(JavaClass c) {
    JavaClass file = topLevel(c);
    for (Optional<JavaClass> over = sealedOver(file);
        over.isPresent() && !topLevel(over.get()).equals(file);
        over = sealedOver(file)) {
      file = topLevel(over.get());
    }
    return file;
  }

  /** The sealed type of {@code c}'s package that permits {@code c}, if one does. */
  private static Optional<JavaClass> sealedOver(JavaClass c) {
    return Stream.concat(c.getRawSuperclass().stream(), c.getRawInterfaces().stream())
        .filter(s -> s.getPackageName().equals(c.getPackageName()))
        .filter(s -> s.getPermittedSubclasses().map(p -> p.contains(c)).orElse(false))
        .findFirst();
  }

  /** The file a class is compiled from: the class itself, or the top-level class it nests in. */
  static JavaClass topLevel(JavaClass c) {
    JavaClass outer = c;
    while (outer.getEnclosingClass().isPresent()) {
      outer = outer.getEnclosingClass().get();
    }
    return outer;
  }

  /** Tarjan's strongly connected components of one package's graph of files. */
  private static final class Components {
    private final Map<String, Set<String>> graph;
    private final Map<String, Integer> index = new HashMap<>();
    private final Map<String, Integer> low = new HashMap<>();
    private final Deque<String> stack = new ArrayDeque<>();
    private final Set<String> onStack = new TreeSet<>();
    private final List<Loop> loops = new ArrayList<>();

    Components(Map<String, Set<String>> graph) {
      this.graph = graph;
    }

    List<Loop> loops() {
      for (String file : graph.keySet()) {
        if (!index.containsKey(file)) {
          visit(file);
        }
      }
      loops.sort(
          Comparator.comparingInt((Loop l) -> -l.files().size())
              .thenComparing(l -> l.files().first()));
      return loops;
    }

    private void visit(String file) {
      index.put(file, index.size());
      low.put(file, index.get(file));
      stack.push(file);
      onStack.add(file);
      for (String next : graph.getOrDefault(file, Set.of())) {
        if (!index.containsKey(next)) {
          visit(next);
          low.put(file, Math.min(low.get(file), low.get(next)));
        } else if (onStack.contains(next)) {
          low.put(file, Math.min(low.get(file), index.get(next)));
        }
      }
      if (low.get(file).equals(index.get(file))) {
        SortedSet<String> component = new TreeSet<>();
        String member;
        do {
          member = stack.pop();
          onStack.remove(member);
          component.add(member);
        } while (!member.equals(file));
        if (component.size() > 1) {
          loops.add(new Loop(component));
        }
      }
    }
  }
}
