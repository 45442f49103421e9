package dev.stint.directory;

import dev.stint.audit.AuditEvent;
import dev.stint.audit.AuditLog;
import dev.stint.common.SecretShapes;
import io.vertx.core.Future;
import java.util.Collection;
import java.util.List;

/**
 * The audit events of directory writes, one per change that took effect, appended inside the
 * change's transaction: a change whose event cannot be recorded is rolled back. The actor is the
 * holder of the SCIM token ({@code stint}/{@code scim}): the provider's client has no identity of
 * its own. What the provider wrote (names, external ids) is its text: a part shaped like a secret
 * is withheld, so it can neither reach the log nor stop the event.
 */
final class DirectoryAudit {
  static final AuditEvent.Actor ACTOR = new AuditEvent.Actor("stint", "scim", null);

  /** At most this many member ids are listed per event; the counts are always whole. */
  static final int LISTED_MEMBERS = 100;

  private final AuditLog audit;

  DirectoryAudit(AuditLog audit) {
    this.audit = audit;
  }

  /** How a user write matched its person, and what it did to the person's deprovisioned mark. */
  record Outcome(DirectoryPeople.By matched, Deprovisions.Standing standing) {}

  Future<Void> user(String type, String id, ScimShapes.User u, Outcome outcome, ScimCaller caller) {
    return audit
        .append(
            event(type, caller)
                .detail("user_id", id)
                .detail("user_name", shown(u.userName()))
                .detail("external_id", shown(u.externalId().orElse("")))
                .detail("active", u.active())
                .detail("matched_by", outcome.matched().code())
                .detail("deprovisioning", outcome.standing().code())
                .build())
        .mapEmpty();
  }

  /**
   * A user matched to a person when the person was seen rather than when the user was written
   * ({@link Sightings}): stint's doing, so the actor is stint.
   */
  Future<Void> matched(String id, ScimShapes.User u, Outcome outcome) {
    return audit
        .append(
            AuditEvent.builder("directory.user.matched")
                .actor(AuditEvent.Actor.SYSTEM)
                .outcome("ok")
                .detail("user_id", id)
                .detail("user_name", shown(u.userName()))
                .detail("external_id", shown(u.externalId().orElse("")))
                .detail("active", u.active())
                .detail("matched_by", outcome.matched().code())
                .detail("deprovisioning", outcome.standing().code())
                .build())
        .mapEmpty();
  }

  Future<Void> userDeleted(
      String id, String userName, Deprovisions.Standing standing, ScimCaller caller) {
    return audit
        .append(
            event("directory.user.deleted", caller)
                .detail("user_id", id)
                .detail("user_name", shown(userName))
                .detail("deprovisioning", standing.code())
                .build())
        .mapEmpty();
  }

  Future<Void> group(
      String type,
      String id,
      ScimShapes.Group g,
      Collection<String> added,
      Collection<String> removed,
      ScimCaller caller) {
    return audit
        .append(
            event(type, caller)
                .detail("group_id", id)
                .detail("display_name", shown(g.displayName()))
                .detail("external_id", shown(g.externalId().orElse("")))
                .detail("members_added", added.size())
                .detail("members_removed", removed.size())
                .detail("added_ids", first(added))
                .detail("removed_ids", first(removed))
                .build())
        .mapEmpty();
  }

  Future<Void> groupDeleted(String id, String displayName, ScimCaller caller) {
    return audit
        .append(
            event("directory.group.deleted", caller)
                .detail("group_id", id)
                .detail("display_name", shown(displayName))
                .build())
        .mapEmpty();
  }

  private static AuditEvent.Builder event(String type, ScimCaller caller) {
    return AuditEvent.builder(type)
        .actor(ACTOR)
        .outcome("ok")
        .client(caller.address(), caller.userAgent());
  }

  private static List<String> first(Collection<String> ids) {
    return ids.stream().sorted().limit(LISTED_MEMBERS).map(DirectoryAudit::shown).toList();
  }

  private static String shown(String text) {
    return SecretShapes.redact(text, x -> "[withheld: shaped like a secret]");
  }
}
