package dev.stint.architecture.storereader;

import dev.stint.architecture.storefixture.ThingStore;

/** Names another package's store: the call {@code StoreImportsTest} must find. */
public final class ThingReader {
  public int things(ThingStore store) {
    return store.count();
  }
}
