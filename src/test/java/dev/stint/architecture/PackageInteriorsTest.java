package dev.stint.architecture;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Inside each package, on the compiled classes of both builds: no loop of files (a file is a
 * top-level class with what is nested in it, a sealed type with what it permits besides, {@link
 * FileLoops}), and no class over {@value #METHODS} public methods, records excepted, a builder's
 * fluent setters and a library's contract not counted ({@link PublicMethods} says how). The loops
 * and the classes that were there when the rule came are listed below and may only go: a new loop
 * or a new fat class fails, and so does a listed one that is gone or changed, so that the list is
 * struck off as they are mended and names only what is still there.
 */
class PackageInteriorsTest {
  static final int METHODS = 12;

  /** Package → the loops of files it still has, each as the simple names of its files. */
  static final Map<String, List<Set<String>>> LOOPS_LEFT = Map.of();

  /** Class → its public methods, for the classes still over the limit. */
  static final Map<String, Integer> FAT_CLASSES_LEFT = Map.of();

  /** What differs between the loops found and those listed, each named with what to do. */
  static List<String> loopProblems(
      Map<String, List<FileLoops.Loop>> found, Map<String, List<Set<String>>> listed) {
    SortedMap<String, Set<Set<String>>> is = new TreeMap<>();
    found.forEach(
        (p, loops) ->
            loops.forEach(l -> is.computeIfAbsent(p, x -> new LinkedHashSet<>()).add(l.files())));
    List<String> out = new ArrayList<>();
    is.forEach(
        (p, loops) ->
            loops.stream()
                .filter(l -> !listed.getOrDefault(p, List.of()).contains(l))
                .forEach(l -> out.add("a loop of files in " + p + ": " + new TreeSet<>(l))));
    new TreeMap<>(listed)
        .forEach(
            (p, loops) ->
                loops.stream()
                    .filter(l -> !is.getOrDefault(p, Set.of()).contains(l))
                    .forEach(
                        l ->
                            out.add(
                                "the loop listed in "
                                    + p
                                    + " is gone or changed, strike it off: "
                                    + new TreeSet<>(l))));
    return out;
  }

  /** What differs between the fat classes found and those listed, each named with what to do. */
  static List<String> methodProblems(Map<String, Integer> found, Map<String, Integer> listed) {
    List<String> out = new ArrayList<>();
    new TreeMap<>(found)
        .forEach(
            (c, n) -> {
              Integer was = listed.get(c);
              if (was == null) {
                out.add(c + " has " + n + " public methods, over " + METHODS);
              } else if (n > was) {
                out.add(c + " has " + n + " public methods, more than the " + was + " listed");
              } else if (n < was) {
                out.add(c + " is down to " + n + " public methods: list " + n);
              }
            });
    new TreeMap<>(listed)
        .forEach(
            (c, n) -> {
              if (!found.containsKey(c)) {
                out.add(c + " is no longer over " + METHODS + " public methods: strike it off");
              }
            });
    return out;
  }

  @Test
  void noPackageHasALoopOfFilesBeyondThoseListed() {
    assertThat(loopProblems(FileLoops.of(main()), LOOPS_LEFT)).isEmpty();
  }

  @Test
  void noClassHasMorePublicMethodsThanTheLimitBeyondThoseListed() {
    assertThat(methodProblems(PublicMethods.over(main(), METHODS), FAT_CLASSES_LEFT)).isEmpty();
  }

  /**
   * The rule must catch what it exists for: two files that use each other, one of them only through
   * a record nested in the other; and a listed loop must be struck off once it is gone.
   */
  @Test
  void aLoopOfFilesThroughANestedRecordFailsTheCheck() {
    JavaClasses fixture =
        new ClassFileImporter()
            .importClasses(LoopFixture.class, LoopFixture.Asked.class, LoopFixturePeer.class);
    String pkg = LoopFixture.class.getPackageName();
    SortedMap<String, List<FileLoops.Loop>> found = FileLoops.of(fixture);

    assertThat(found)
        .containsOnlyKeys(pkg)
        .extractingByKey(pkg)
        .asList()
        .containsExactly(
            new FileLoops.Loop(new TreeSet<>(Set.of("LoopFixture", "LoopFixturePeer"))));
    assertThat(loopProblems(found, Map.of()))
        .containsExactly("a loop of files in " + pkg + ": [LoopFixture, LoopFixturePeer]");
    assertThat(loopProblems(found, Map.of(pkg, List.of(Set.of("LoopFixture", "LoopFixturePeer")))))
        .isEmpty();
    assertThat(
            loopProblems(Map.of(), Map.of(pkg, List.of(Set.of("LoopFixture", "LoopFixturePeer")))))
        .containsExactly(
            "the loop listed in "
                + pkg
                + " is gone or changed, strike it off: "
                + "[LoopFixture, LoopFixturePeer]");
  }

  /**
   * A sealed type and the records it permits are one file, its visitor naming each of them no loop;
   * a file outside the set that reads into it and is read back still is.
   */
  @Test
  void aSealedTypeAndWhatItPermitsAreOneFileAndLoopWithOutsidersStill() {
    JavaClasses set =
        new ClassFileImporter()
            .importClasses(
                SealedFixture.class,
                SealedFixture.Visitor.class,
                SealedFixtureOne.class,
                SealedFixtureTwo.class);
    JavaClasses withReader =
        new ClassFileImporter()
            .importClasses(
                SealedFixture.class,
                SealedFixture.Visitor.class,
                SealedFixtureOne.class,
                SealedFixtureTwo.class,
                SealedFixtureReader.class);
    String pkg = SealedFixture.class.getPackageName();

    assertThat(FileLoops.file(set.get(SealedFixtureTwo.class)).getSimpleName())
        .isEqualTo("SealedFixture");
    assertThat(FileLoops.topLevel(set.get(SealedFixtureTwo.class)).getSimpleName())
        .isEqualTo("SealedFixtureTwo");
    assertThat(FileLoops.of(set)).isEmpty();
    assertThat(FileLoops.of(withReader))
        .containsOnlyKeys(pkg)
        .extractingByKey(pkg)
        .asList()
        .containsExactly(
            new FileLoops.Loop(new TreeSet<>(Set.of("SealedFixture", "SealedFixtureReader"))));
  }

  /** The rule counts as {@link PublicMethods} says, and a listed class may only lose methods. */
  @Test
  void aClassOverTheLimitFailsTheCheckAndTheOthersAtTheEdgeDoNot() {
    JavaClasses fixtures =
        new ClassFileImporter()
            .importClasses(
                PublicMethodsFixtures.Fat.class,
                PublicMethodsFixtures.AtTheLimit.class,
                PublicMethodsFixtures.WidePort.class,
                PublicMethodsFixtures.Wide.class,
                PublicMethodsFixtures.Kinds.class,
                PublicMethodsFixtures.Builder.class,
                PublicMethodsFixtures.Chain.class,
                PublicMethodsFixtures.Hooks.class);
    String fat = PublicMethodsFixtures.Fat.class.getName();
    String port = PublicMethodsFixtures.WidePort.class.getName();
    String chain = PublicMethodsFixtures.Chain.class.getName();
    Map<String, Integer> found = PublicMethods.over(fixtures, METHODS);

    assertThat(found).containsOnly(entry(fat, 13), entry(port, 13), entry(chain, 13));
    assertThat(PublicMethods.count(fixtures.get(PublicMethodsFixtures.AtTheLimit.class)))
        .isEqualTo(12);
    assertThat(PublicMethods.count(fixtures.get(PublicMethodsFixtures.Kinds.class))).isEqualTo(12);
    assertThat(PublicMethods.count(fixtures.get(PublicMethodsFixtures.Builder.class))).isEqualTo(3);
    assertThat(PublicMethods.count(fixtures.get(PublicMethodsFixtures.Chain.class))).isEqualTo(13);
    assertThat(PublicMethods.count(fixtures.get(PublicMethodsFixtures.Hooks.class))).isEqualTo(2);
    assertThat(methodProblems(found, Map.of(port, 13, chain, 13)))
        .containsExactly(fat + " has 13 public methods, over 12");
    assertThat(methodProblems(found, Map.of(fat, 12, port, 14, chain, 13)))
        .containsExactly(
            fat + " has 13 public methods, more than the 12 listed",
            port + " is down to 13 public methods: list 13");
    assertThat(methodProblems(Map.of(port, 13), Map.of(fat, 13, port, 13)))
        .containsExactly(fat + " is no longer over 12 public methods: strike it off");
  }

  private static JavaClasses main() {
    return StintClasses.serverAndDevelopment();
  }
}
