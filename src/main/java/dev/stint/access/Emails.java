package dev.stint.access;

import java.util.Optional;

/** Email comparison for refusals only (see {@link Person#mightBe}). */
final class Emails {
  private Emails() {}

  /**
   * Both present and equal ignoring case, character by character with Unicode case rules: a
   * looser match than any mail system's, which is the safe side for a check that only refuses.
   */
  static boolean same(Optional<String> a, Optional<String> b) {
    return a.isPresent() && b.isPresent() && a.get().equalsIgnoreCase(b.get());
  }
}
