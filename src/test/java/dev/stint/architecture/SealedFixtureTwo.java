package dev.stint.architecture;

/** Test-only: the other of {@link SealedFixture}'s records, reading a file outside the set. */
record SealedFixtureTwo(int size) implements SealedFixture {
  @Override
  public <R> R accept(Visitor<R> visitor) {
    return visitor.two(this);
  }

  String described() {
    return SealedFixtureReader.describe(new SealedFixtureOne("one"));
  }
}
