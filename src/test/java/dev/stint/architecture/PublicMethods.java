package dev.stint.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * How many public methods a class offers, as its readers meet it: the public methods it declares,
 * static ones included, in a class, an interface or an enum; not those the compiler writes
 * (bridges, synthetic methods, an enum's {@code values} and {@code valueOf}), nor its own {@code
 * equals}, {@code hashCode} and {@code toString}, which every value has. Inherited methods count
 * where they are declared. Records are left out: a record's accessors are its components, and its
 * size is their number. Anonymous and local classes are left out: nobody outside their method names
 * them.
 *
 * <p>Two kinds of public method are not the class's own surface, and are not counted. A builder's
 * fluent setters (in a class with a public {@code build()}, the instance methods that return the
 * builder itself): each sets a field of what it builds, so they are that value's fields spelled
 * out, as a record's accessors are. And a framework's contract (a method that implements or
 * overrides one declared by a supertype from a library, neither stint's nor the JDK's): the
 * framework calls it and its name is the framework's; an override of a JDK type's method ({@code
 * compareTo}, {@code close}) is called by stint's code and counts.
 */
final class PublicMethods {
  private static final Set<String> OBJECTS_OWN = Set.of("equals", "hashCode", "toString");

  private PublicMethods() {}

  /** Class → its public methods, for every class counted that has more than {@code limit}. */
  static SortedMap<String, Integer> over(Iterable<JavaClass> classes, int limit) {
    SortedMap<String, Integer> out = new TreeMap<>();
    for (JavaClass c : classes) {
      if (counted(c)) {
        int n = count(c);
        if (n > limit) {
          out.put(c.getName(), n);
        }
      }
    }
    return out;
  }

  /** Whether the rule counts {@code c} at all: not a record, an anonymous or a local class. */
  static boolean counted(JavaClass c) {
    boolean record = c.getRawSuperclass().map(s -> s.isEquivalentTo(Record.class)).orElse(false);
    return !record && !c.isAnonymousClass() && !c.isLocalClass();
  }

  /** The public methods {@code c} declares, as the class comment counts them. */
  static int count(JavaClass c) {
    return (int) c.getMethods().stream().filter(m -> counts(c, m)).count();
  }

  private static boolean counts(JavaClass c, JavaMethod m) {
    Set<JavaModifier> modifiers = m.getModifiers();
    if (!modifiers.contains(JavaModifier.PUBLIC)
        || modifiers.contains(JavaModifier.SYNTHETIC)
        || modifiers.contains(JavaModifier.BRIDGE)) {
      return false;
    }
    List<JavaClass> params = m.getRawParameterTypes();
    boolean objectsOwn =
        OBJECTS_OWN.contains(m.getName())
            && (params.isEmpty()
                || (m.getName().equals("equals")
                    && params.size() == 1
                    && params.get(0).isEquivalentTo(Object.class)));
    boolean enumsOwn =
        c.isEnum()
            && m.getModifiers().contains(JavaModifier.STATIC)
            && (m.getName().equals("values") && params.isEmpty()
                || m.getName().equals("valueOf")
                    && params.size() == 1
                    && params.get(0).isEquivalentTo(String.class));
    return !objectsOwn && !enumsOwn && !fluentSetter(c, m) && !frameworks(c, m);
  }

  private static boolean fluentSetter(JavaClass c, JavaMethod m) {
    boolean builder =
        c.getMethods().stream()
            .anyMatch(
                b ->
                    b.getName().equals("build")
                        && b.getRawParameterTypes().isEmpty()
                        && b.getModifiers().contains(JavaModifier.PUBLIC));
    return builder
        && !m.getModifiers().contains(JavaModifier.STATIC)
        && m.getRawReturnType().equals(c);
  }

  /** Whether {@code m} implements or overrides a method of a library's supertype of {@code c}. */
  private static boolean frameworks(JavaClass c, JavaMethod m) {
    if (m.getModifiers().contains(JavaModifier.STATIC)) {
      return false;
    }
    Class<?>[] params = m.reflect().getParameterTypes();
    return supertypes(c.reflect())
        .filter(s -> !s.getName().startsWith("dev.stint.") && !s.getName().startsWith("java."))
        .flatMap(s -> Arrays.stream(s.getDeclaredMethods()))
        .filter(s -> !Modifier.isStatic(s.getModifiers()) && !Modifier.isPrivate(s.getModifiers()))
        .anyMatch(s -> s.getName().equals(m.getName()) && accepts(s.getParameterTypes(), params));
  }

  private static boolean accepts(Class<?>[] declared, Class<?>[] overriding) {
    if (declared.length != overriding.length) {
      return false;
    }
    for (int i = 0; i < declared.length; i++) {
      if (!declared[i].isAssignableFrom(overriding[i])) {
        return false;
      }
    }
    return true;
  }

  private static Stream<Class<?>> supertypes(Class<?> c) {
    Stream<Class<?>> direct =
        Stream.concat(Stream.ofNullable(c.getSuperclass()), Arrays.stream(c.getInterfaces()));
    return direct.flatMap(s -> Stream.concat(Stream.of(s), supertypes(s)));
  }
}
