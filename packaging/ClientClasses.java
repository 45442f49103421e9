import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

/**
 * What the client package holds: the classes of stint reachable from the client's entry point, and
 * the library jars those reach, both read by jdeps from the compiled build (picocli is compiled with
 * stint, so its classes are among the first). Prints one line per
 * item: {@code class dev/stint/cli/CliMain.class} and {@code jar picocli-4.7.7.jar}. A class that
 * only the server reaches (the HTTP server, the database, the minting) is left out because nothing
 * the client runs refers to it, not because a list here names it.
 *
 * <p>Run by packaging/dist.sh: {@code java packaging/ClientClasses.java CLASSES LIB ROOT-CLASS...}
 * (the entry point, and the run the class-data archive is recorded from).
 */
public final class ClientClasses {
  private static final Pattern DEPENDENCY =
      Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL);
  private static final Pattern ARTIFACT_ID = Pattern.compile("<artifactId>([^<]+)</artifactId>");
  private static final Pattern NOT_NEEDED =
      Pattern.compile("<optional>\\s*true\\s*</optional>|<scope>\\s*(provided|test)\\s*</scope>");
  private static final Pattern VERSIONED = Pattern.compile("(.+?)-\\d[^-]*(-.*)?\\.jar");

  public static void main(String[] args) throws IOException {
    Path classes = Path.of(args[0]);
    Path lib = Path.of(args[1]);
    Set<String> roots = Set.of(Arrays.copyOfRange(args, 2, args.length));
    String classPath = classPath(lib);

    Map<String, Set<String>> uses = new HashMap<>();
    Map<String, String> archiveOf = new HashMap<>();
    for (String line :
        jdeps("-verbose:class", "-filter:none", "--multi-release", "17", "-cp", classPath,
            classes.toString())) {
      String[] f = line.strip().split("\\s+");
      if (f.length >= 4 && f[1].equals("->") && built(classes, f[0])) {
        uses.computeIfAbsent(f[0], k -> new TreeSet<>()).add(f[2]);
        archiveOf.put(f[2], f[3]);
      }
    }
    for (String root : roots) {
      if (!uses.containsKey(root)) {
        throw new IllegalStateException("jdeps knows no class " + root + " in " + classes);
      }
    }
    Set<String> reached = closure(roots, uses, c -> built(classes, c));
    Set<String> jars = jarsReached(classes, reached, lib, classPath);
    reached.forEach(c -> System.out.println("class " + c.replace('.', '/') + ".class"));
    jars.forEach(j -> System.out.println("jar " + j));
  }

  /**
   * The jars the reached classes need, directly or through other jars: {@code jdeps -R} over a
   * copy of only those classes (a library jar given to jdeps as input is read as a module, and
   * some name modules that are not there) gives every jar-to-jar use; a use a library's own POM
   * declares optional, provided or for tests (httpclient5's compression codecs, Nimbus's
   * BouncyCastle) is one that library runs without, so it is not followed.
   */
  private static Set<String> jarsReached(
      Path classes, Set<String> reached, Path lib, String classPath) throws IOException {
    Path copy = Files.createTempDirectory("stint-client-classes");
    try {
      for (String c : reached) {
        String file = c.replace('.', '/') + ".class";
        Files.createDirectories(copy.resolve(file).getParent());
        Files.copy(classes.resolve(file), copy.resolve(file));
      }
      String self = copy.getFileName().toString();
      Map<String, Set<String>> uses = new HashMap<>();
      for (String line :
          jdeps("-summary", "-R", "--multi-release", "17", "-cp", classPath, copy.toString())) {
        String[] f = line.strip().split("\\s+");
        if (f.length == 3 && f[1].equals("->") && f[2].endsWith(".jar")) {
          String from = Path.of(f[0]).getFileName().toString();
          String to = Path.of(f[2]).getFileName().toString();
          if (from.equals(self) || !notNeeded(lib.resolve(from)).contains(artifact(to))) {
            uses.computeIfAbsent(from, k -> new TreeSet<>()).add(to);
          }
        }
      }
      Set<String> jars = closure(Set.of(self), uses, j -> true);
      jars.remove(self);
      return jars;
    } finally {
      try (Stream<Path> files = Files.walk(copy)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** The artifacts a jar's embedded POMs declare optional, provided or test dependencies. */
  private static Set<String> notNeeded(Path jar) throws IOException {
    Set<String> artifacts = new TreeSet<>();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (ZipEntry entry : Collections.list(zip.entries())) {
        if (entry.getName().startsWith("META-INF/maven/") && entry.getName().endsWith("/pom.xml")) {
          String pom = new String(zip.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
          Matcher dependency = DEPENDENCY.matcher(pom);
          while (dependency.find()) {
            String body = dependency.group(1);
            Matcher id = ARTIFACT_ID.matcher(body);
            if (id.find() && NOT_NEEDED.matcher(body).find()) {
              artifacts.add(id.group(1).strip());
            }
          }
        }
      }
    }
    return artifacts;
  }

  /** A jar's artifact id: its file name without the version copy-dependencies appended. */
  static String artifact(String jar) {
    Matcher m = VERSIONED.matcher(jar);
    return m.matches() ? m.group(1) : jar;
  }

  /** Whether the build compiled the class (stint's own, and picocli, built from its sources). */
  private static boolean built(Path classes, String name) {
    return Files.isRegularFile(classes.resolve(name.replace('.', '/') + ".class"));
  }

  /** Every jar of {@code lib}: a wildcard is expanded by the jdeps launcher, not by the tool. */
  private static String classPath(Path lib) throws IOException {
    try (Stream<Path> files = Files.list(lib)) {
      return String.join(
          File.pathSeparator,
          files.map(Path::toString).filter(p -> p.endsWith(".jar")).sorted().toList());
    }
  }

  private static Set<String> closure(
      Set<String> roots,
      Map<String, Set<String>> uses,
      Predicate<String> follow) {
    Set<String> seen = new TreeSet<>();
    Deque<String> todo = new ArrayDeque<>(roots);
    while (!todo.isEmpty()) {
      String next = todo.pop();
      if (follow.test(next) && seen.add(next)) {
        todo.addAll(uses.getOrDefault(next, Set.of()));
      }
    }
    return seen;
  }

  private static List<String> jdeps(String... args) {
    ToolProvider jdeps =
        ToolProvider.findFirst("jdeps")
            .orElseThrow(() -> new IllegalStateException("no jdeps in this JDK"));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = jdeps.run(new PrintWriter(out), new PrintWriter(err), args);
    if (code != 0) {
      throw new IllegalStateException("jdeps failed (" + code + "): " + err + out);
    }
    return out.toString().lines().toList();
  }
}
