package dev.stint.architecture;

/**
 * Test-only: a file outside {@link SealedFixture}'s set that reads into it and is read back by it,
 * a loop the fold must not hide.
 */
final class SealedFixtureReader {
  private SealedFixtureReader() {}

  static String describe(SealedFixture s) {
    return s.accept(
        new SealedFixture.Visitor<String>() {
          @Override
          public String one(SealedFixtureOne one) {
            return one.name();
          }

          @Override
          public String two(SealedFixtureTwo two) {
            return String.valueOf(two.size());
          }
        });
  }
}
