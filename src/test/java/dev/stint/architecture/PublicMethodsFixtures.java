package dev.stint.architecture;

import ch.qos.logback.core.Appender;
import ch.qos.logback.core.spi.AppenderAttachable;
import ch.qos.logback.core.spi.LifeCycle;
import java.util.Iterator;
import java.util.List;
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

  /**
   * A builder of thirteen fields and its {@code build()}: one counted. The static factory and a
   * method returning something else count as well.
   */
  static final class Builder {
    public static Builder of() {
      return new Builder();
    }

    public Builder f1(String v) {
      return this;
    }

    public Builder f2(String v) {
      return this;
    }

    public Builder f3(String v) {
      return this;
    }

    public Builder f4(String v) {
      return this;
    }

    public Builder f5(String v) {
      return this;
    }

    public Builder f6(String v) {
      return this;
    }

    public Builder f7(String v) {
      return this;
    }

    public Builder f8(String v) {
      return this;
    }

    public Builder f9(String v) {
      return this;
    }

    public Builder f10(String v) {
      return this;
    }

    public Builder f11(String v) {
      return this;
    }

    public Builder f12(String v) {
      return this;
    }

    public Builder f13(String v) {
      return this;
    }

    public String peek() {
      return "";
    }

    public Wide build() {
      return new Wide(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13);
    }
  }

  /** Thirteen methods returning itself, and no {@code build()}: no builder, all counted. */
  static final class Chain {
    public Chain m1() {
      return this;
    }

    public Chain m2() {
      return this;
    }

    public Chain m3() {
      return this;
    }

    public Chain m4() {
      return this;
    }

    public Chain m5() {
      return this;
    }

    public Chain m6() {
      return this;
    }

    public Chain m7() {
      return this;
    }

    public Chain m8() {
      return this;
    }

    public Chain m9() {
      return this;
    }

    public Chain m10() {
      return this;
    }

    public Chain m11() {
      return this;
    }

    public Chain m12() {
      return this;
    }

    public Chain m13() {
      return this;
    }
  }

  /**
   * Logback's contract for an appender holding others, and its life cycle: the ten methods that
   * implement it are the framework's, not counted; its own two are.
   */
  static final class Hooks implements AppenderAttachable<String>, LifeCycle {
    public void own1() {}

    public int own2() {
      return 0;
    }

    @Override
    public void addAppender(Appender<String> a) {}

    @Override
    public Iterator<Appender<String>> iteratorForAppenders() {
      return List.<Appender<String>>of().iterator();
    }

    @Override
    public Appender<String> getAppender(String name) {
      return null;
    }

    @Override
    public boolean isAttached(Appender<String> a) {
      return false;
    }

    @Override
    public void detachAndStopAllAppenders() {}

    @Override
    public boolean detachAppender(Appender<String> a) {
      return false;
    }

    @Override
    public boolean detachAppender(String name) {
      return false;
    }

    @Override
    public void start() {}

    @Override
    public void stop() {}

    @Override
    public boolean isStarted() {
      return false;
    }
  }
}
