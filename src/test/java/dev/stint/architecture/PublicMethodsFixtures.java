package dev.stint.architecture;

import java.util.function.Supplier;

/**
 * Test-only: classes at the edge of the public-method limit, counted as {@link PublicMethods} says;
 * {@link PackageInteriorsTest} checks that the rule lists the fat ones and none of the others. The
 * main check never sees them.
 */
final class PublicMethodsFixtures {
  private PublicMethodsFixtures() {}

  /** Thirteen public methods, one of them static: over the limit. */
  static final class Fat {
    public static Fat of() {
      return new Fat();
    }

    public void m1() {}

    public void m2() {}

    public void m3() {}

    public void m4() {}

    public void m5() {}

    public void m6() {}

    public void m7() {}

    public void m8() {}

    public void m9() {}

    public void m10() {}

    public void m11() {}

    public void m12() {}
  }

  /**
   * Twelve: eleven of its own and {@code compareTo}, whose bridge the compiler writes; its {@code
   * equals}, {@code hashCode} and {@code toString}, a private and a package-private method, and a
   * lambda's synthetic method are not counted.
   */
  static final class AtTheLimit implements Comparable<AtTheLimit> {
    public void m1() {}

    public void m2() {}

    public void m3() {}

    public void m4() {}

    public void m5() {}

    public void m6() {}

    public void m7() {}

    public void m8() {}

    public void m9() {}

    public void m10() {}

    public void m11() {}

    @Override
    public int compareTo(AtTheLimit o) {
      return 0;
    }

    @Override
    public boolean equals(Object o) {
      return o == this;
    }

    @Override
    public int hashCode() {
      return 1;
    }

    @Override
    public String toString() {
      return hidden() + shared().get();
    }

    private String hidden() {
      return "";
    }

    Supplier<String> shared() {
      return () -> "";
    }
  }

  /** A port of thirteen methods: an interface counts as a class does. */
  interface WidePort {
    void m1();

    void m2();

    void m3();

    void m4();

    void m5();

    void m6();

    void m7();

    void m8();

    void m9();

    void m10();

    void m11();

    void m12();

    void m13();
  }

  /** A record is left out, however many components (and accessors) it has. */
  record Wide(
      int c1,
      int c2,
      int c3,
      int c4,
      int c5,
      int c6,
      int c7,
      int c8,
      int c9,
      int c10,
      int c11,
      int c12,
      int c13) {}

  /** Twelve of its own; the compiler's {@code values} and {@code valueOf} are not counted. */
  enum Kinds {
    ONE;

    public void m1() {}

    public void m2() {}

    public void m3() {}

    public void m4() {}

    public void m5() {}

    public void m6() {}

    public void m7() {}

    public void m8() {}

    public void m9() {}

    public void m10() {}

    public void m11() {}

    public void m12() {}
  }
}
