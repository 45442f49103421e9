package dev.stint.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How many public methods a class offers, as its readers meet it: the public methods it declares,
 * static ones included, in a class, an interface or an enum; not those the compiler writes
 * (bridges, synthetic methods, an enum's {@code values} and {@code valueOf}), nor its own {@code
 * equals}, {@code hashCode} and {@code toString}, which every value has. Inherited methods count
 * where they are declared. Records are left out: a record's accessors are its components, and its
 * size is their number. Anonymous and local classes are left out: nobody outside their method names
 * them.
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
    return !objectsOwn && !enumsOwn;
  }
}
