package dev.stint.identity;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the organisation's directory says of a person now, asked wherever a caller is admitted: an
 * API token, a web session, a Slack click, a stored approver. A token's groups are as old as the
 * token (and a web session's or Slack link's claims older still); the directory's are as fresh as
 * its last push, so a person it knows is judged by its groups, and a person it deprovisioned is not
 * admitted at all. Answered from memory: it is on every call's path.
 */
public interface Directory {
  /** Why a person the directory deactivated or deleted is refused, whatever their token says. */
  String DEPROVISIONED =
      "the directory has deactivated or deleted this person: their access has ended";

  /** No directory: everyone stands on their token's claims. */
  Directory NONE = person -> new Standing.Unknown();

  /** The person's standing; only the issuer URL and subject are read. */
  Standing standing(Person person);

  /** What the directory says of one person. */
  sealed interface Standing {
    /** Not a person the directory knows: their token's groups stand. */
    record Unknown() implements Standing {}

    /** Known: these are their groups, whatever their token says (none at all is an answer). */
    record Member(List<String> groups) implements Standing {
      public Member {
        groups = List.copyOf(groups);
      }
    }

    /** Deactivated or deleted in the directory since {@code at}: nothing of theirs counts. */
    record Deprovisioned(Instant at) implements Standing {}
  }

  /**
   * {@code p} as the directory has them: with the directory's groups when it knows them, as they
   * are when it does not, and nobody when it deprovisioned them.
   */
  default Optional<Principal> admit(Principal p) {
    return admit(p, standing(p.person()));
  }

  /**
   * {@code p}, whose claims were just verified (an API call's token, a sign-in's ID token), being
   * admitted now: as {@link #admit}, except that a directory may first look in its store for a
   * person it does not know yet, so that a user written before the person was ever seen counts from
   * their first call (a leaver it lists as inactive is refused on it). Fails ({@code UNAVAILABLE})
   * rather than admit when it cannot tell in time.
   */
  default Future<Optional<Principal>> admitNow(Principal p) {
    return Future.succeededFuture(admit(p));
  }

  /** {@code p} as a directory that says {@code s} of them has them. */
  static Optional<Principal> admit(Principal p, Standing s) {
    if (s instanceof Standing.Deprovisioned) {
      return Optional.empty();
    }
    return Optional.of(s instanceof Standing.Member m ? p.withDirectoryGroups(m.groups()) : p);
  }
}
