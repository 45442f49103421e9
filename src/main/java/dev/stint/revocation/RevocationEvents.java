package dev.stint.revocation;

import dev.stint.access.Grant;
import dev.stint.access.RequestListener.Change;
import dev.stint.audit.AuditEvent;
import dev.stint.audit.AuditLog;
import dev.stint.mint.SessionRevoker;
import dev.stint.outbox.DurableListener.Delivery;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/** The audit events of a revocation as it goes: applied, widened, collapsed, failed. */
final class RevocationEvents {
  /** How many of the grants a widened deny cut the event names; the count is always whole. */
  static final int GRANTS_NAMED = 50;

  private final AuditLog audit;

  RevocationEvents(AuditLog audit) {
    this.audit = audit;
  }

  /**
   * The revocation settled: denied, or nothing to deny ({@code none}, {@code until_expiry}),
   * recorded with its progress row in one transaction ({@link ProgressStore#SETTLED}).
   */
  Future<Void> applied(Change change, Delivery delivery, Progress p) {
    AuditEvent event =
        base("grant.revocation_applied", change, delivery)
            .outcome("ok")
            .reason(
                switch (p.stage()) {
                  case DENIED ->
                      "deny statement in place on "
                          + p.roles().size()
                          + " role(s)"
                          + (p.widened() ? ", widened to a cutoff where it did not fit" : "");
                  case NONE ->
                      "no credential of the grant is still valid: nothing written to any cloud";
                  default ->
                      "the grant's valid credentials are tokens no cloud can revoke: each lives"
                          + " until it expires";
                })
            .detail("live_credentials", p.stage().code())
            .detail("valid_credentials", (long) p.credentials())
            .detail("roles", p.roles())
            .detail("widened", p.widened())
            .build();
    return audit.append(event, ProgressStore.SETTLED.row(p)).mapEmpty();
  }

  /**
   * A target's end became a cutoff: every stint session issued before it is ended. {@code r} is the
   * revocation whose end it was, a grant's or its leases' ({@code lease_ids}).
   */
  Future<Void> widened(Revocation r, String cloud, SessionRevoker.Widened w) {
    List<String> named = w.others().grants().stream().limit(GRANTS_NAMED).toList();
    AuditEvent event =
        of(AuditEvent.builder("grant.revocation_widened"), r)
            .cloud(cloud)
            .target(w.target())
            .outcome("ok")
            .reason(
                w.why()
                    + ": every stint session issued on it before "
                    + w.cutoff()
                    + " is denied until "
                    + w.until()
                    + "; "
                    + w.others().credentials()
                    + " other live credential(s) were cut, and their holders"
                    + " told to fetch fresh ones")
            .detail("cutoff", w.cutoff().toString())
            .detail("until", w.until().toString())
            .detail("cut_credentials", w.others().credentials())
            .detail("cut_grants", (long) w.others().grants().size())
            .detail("cut_grant_ids", named)
            .detail("cut_people", people(w.others()))
            .build();
    return audit.append(event).mapEmpty();
  }

  /**
   * A person's revoked grants on a target did not fit one by one, so every session of that person
   * issued before a time is denied there: nobody else's. Their other sessions it cut are named.
   */
  Future<Void> collapsed(Revocation r, SessionRevoker.Collapsed c) {
    AuditEvent event =
        of(AuditEvent.builder("grant.revocation_collapsed"), r)
            .target(c.target())
            .outcome("ok")
            .reason(
                "one person's revoked grants on the role did not fit its denies one by one: every"
                    + " session of theirs issued on it before "
                    + c.cutoff()
                    + " is denied until "
                    + c.until()
                    + ", nobody else's; "
                    + c.cut().credentials()
                    + " other live credential(s) of theirs were cut, and they were told")
            .detail("person", c.person())
            .detail("cutoff", c.cutoff().toString())
            .detail("until", c.until().toString())
            .detail("cut_credentials", c.cut().credentials())
            .detail("cut_grant_ids", c.cut().grants().stream().limit(GRANTS_NAMED).toList())
            .detail("cut_people", people(c.cut()))
            .build();
    return audit.append(event).mapEmpty();
  }

  /**
   * An event of {@code r}'s end, by stint: its request and grant, and the leases it revoked when it
   * is theirs.
   */
  private static AuditEvent.Builder of(AuditEvent.Builder b, Revocation r) {
    b.actor(AuditEvent.Actor.SYSTEM).requestId(r.requestId()).grantId(r.grantId());
    return r.leaseIds().isEmpty() ? b : b.detail("lease_ids", r.leaseIds());
  }

  /** The holders a cut reached, as {issuer, subject}, at most {@link #GRANTS_NAMED}. */
  private static List<Map<String, Object>> people(SessionRevoker.Cut cut) {
    return cut.people().stream()
        .limit(GRANTS_NAMED)
        .<Map<String, Object>>map(h -> Map.of("issuer", h.issuer(), "subject", h.subject()))
        .toList();
  }

  Future<Void> failed(Change change, Delivery delivery, String why, boolean last) {
    AuditEvent event =
        base("grant.revocation_failed", change, delivery)
            .outcome("error")
            .reason(
                why
                    + (last
                        ? "; giving up, apply the deny by hand or retry it (stint admin outbox)"
                        : "; retrying"))
            .build();
    return audit.append(event).mapEmpty();
  }

  /** An event of a revocation's delivery: by stint, about the change's request and grant. */
  static AuditEvent.Builder base(String type, Change change, Delivery delivery) {
    return AuditEvent.builder(type)
        .actor(AuditEvent.Actor.SYSTEM)
        .requestId(change.request().id())
        .grantId(change.request().grant().map(Grant::id).orElse(null))
        .profile(change.request().profile())
        .detail("attempt", (long) delivery.attempt())
        .detail("outbox_id", delivery.id());
  }
}
