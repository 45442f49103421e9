package dev.stint.architecture;

/** Test-only: one of {@link SealedFixture}'s records. */
record SealedFixtureOne(String name) implements SealedFixture {
  @Override
  public <R> R accept(Visitor<R> visitor) {
    return visitor.one(this);
  }
}
