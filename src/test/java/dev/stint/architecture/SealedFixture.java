package dev.stint.architecture;

/**
 * Test-only: a sealed type with a visitor over the records it permits, each in a file of its own;
 * {@link PackageInteriorsTest} checks that {@link FileLoops} counts them as one file. The main
 * check never sees them.
 */
sealed interface SealedFixture permits SealedFixtureOne, SealedFixtureTwo {
  <R> R accept(Visitor<R> visitor);

  /** One method per permitted record: the compiler lists every place they differ. */
  interface Visitor<R> {
    R one(SealedFixtureOne one);

    R two(SealedFixtureTwo two);
  }
}
