package dev.stint.mint.aws;

/**
 * One thing a role's denies name: a revoked grant's entry, or a person collapsed to a cutoff.
 * {@link DenyLayout} places them in the role's documents, {@link RevocationPolicy} renders them.
 */
sealed interface DenyItem {
  String key();

  /** A revoked grant's entry in the shared source identity list. */
  record Grant(String entry) implements DenyItem {
    @Override
    public String key() {
      return entry;
    }
  }

  /** A person's cutoff, two statements of its own. */
  record Person(RoleDenies.PersonCutoff cutoff) implements DenyItem {
    @Override
    public String key() {
      return key(cutoff.person());
    }

    static String key(String person) {
      return "person:" + person;
    }
  }
}
