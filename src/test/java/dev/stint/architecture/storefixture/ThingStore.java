package dev.stint.architecture.storefixture;

/** A package's store, for {@code StoreImportsTest}'s fixture: another package must not name it. */
public final class ThingStore {
  public int count() {
    return 0;
  }
}
