package dev.stint.activity;

import dev.stint.audit.AuditEvent;
import dev.stint.audit.AuditLog;
import dev.stint.cloud.Cloud;
import dev.stint.mint.ActivityLookup;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the sources of calls brought that stint does not keep as they said, each recorded in the
 * audit once per event id, however often and by whichever source it arrives ({@code
 * activity_anomalies}, claimed as {@link RoleWatch} claims an outside assumption, so a replica that
 * stops before the record leaves it to the next arrival):
 *
 * <ul>
 *   <li>{@code activity.push_mismatched}: a pushed call that disagrees with what the ledger
 *       recorded of the credential whose key it names ({@link PushBinding}), not kept: a refusal,
 *       counted by the ingest; the token that pushed it may be in the wrong hands, or another
 *       account's trail is pushing its copy of a call;
 *   <li>{@code activity.event_conflicted}: an event id kept before with other content ({@link
 *       KeptConflicts}): one of the copies is not CloudTrail's, so the alarm follows, as for a role
 *       assumed outside stint.
 * </ul>
 *
 * A record that cannot be written fails the caller, whose source brings the event again.
 */
public final class ActivityAnomalies {
  static final String MISMATCHED = "activity.push_mismatched";
  static final String CONFLICTED = "activity.event_conflicted";

  /** How long a claim to record an anomaly holds before another arrival takes it over. */
  static final Duration CLAIM = RoleWatch.CLAIM;

  /** Who hears at once of an event id that arrived with other content (the alarm's receivers). */
  @FunctionalInterface
  public interface Alarm {
    void eventConflicted(String eventId, Map<String, Object> details);
  }

  private final IngestStore store;
  private final AuditLog audit;
  private final Alarm alarm;
  private final Clock clock;

  public ActivityAnomalies(GrantActivity view, AuditLog audit, Alarm alarm, Clock clock) {
    this.store = view.ingestStore();
    this.audit = audit;
    this.alarm = alarm;
    this.clock = clock;
  }

  /** Records, once, that {@code call} disagreed with {@code owner} as {@code what} says. */
  Future<Void> mismatched(
      ActivityLookup.Call call, IngestStore.Owner owner, List<PushBinding.Disagreement> what) {
    List<String> fields = what.stream().map(PushBinding.Disagreement::field).toList();
    AuditEvent.Builder b =
        AuditEvent.builder(MISMATCHED)
            .actor(AuditEvent.Actor.SYSTEM)
            .cloud(Cloud.AWS.name())
            .requestId(owner.requestId())
            .outcome("refused")
            .reason(
                "a pushed event named the key of credential "
                    + owner.credentialId()
                    + ", but its "
                    + String.join(", ", fields)
                    + " disagreed with what the ledger recorded of it: not kept")
            .detail("event_id", call.id())
            .detail("event_name", call.name())
            .detail("event_source", call.source())
            .detail("event_time", call.time().toString())
            .detail("credential_id", owner.credentialId())
            .detail("mismatched", fields)
            .detail("disagreements", what.stream().map(ActivityAnomalies::told).toList());
    call.accessKeyId().ifPresent(k -> b.detail("access_key_id", k));
    return once(call.id(), "push_mismatched", b.build(), () -> {});
  }

  /** {@code {field, pushed, recorded}}, in that order. */
  private static Map<String, Object> told(PushBinding.Disagreement d) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("field", d.field());
    out.put("pushed", d.pushed());
    out.put("recorded", d.recorded());
    return out;
  }

  /** Records each of {@code conflicts} once, then raises the alarm for it. */
  Future<Void> conflicted(List<KeptConflicts.Conflict> conflicts) {
    Future<Void> all = Future.succeededFuture();
    for (KeptConflicts.Conflict c : conflicts) {
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("event_id", c.eventId());
      details.put("differing", c.differing());
      details.put("kept", c.kept().fields());
      details.put("arrived", c.arrived().fields());
      AuditEvent.Builder b =
          AuditEvent.builder(CONFLICTED)
              .actor(AuditEvent.Actor.SYSTEM)
              .requestId(c.kept().requestId())
              .outcome("error")
              .reason(
                  "event "
                      + c.eventId()
                      + " arrived again with another "
                      + String.join(", ", c.differing())
                      + " than the copy kept, which stays: one of the copies is not the cloud's");
      details.forEach(b::detail);
      all =
          all.compose(
              x -> once(c.eventId(), "event_conflicted", b.build(), () -> alarm(c, details)));
    }
    return all;
  }

  private void alarm(KeptConflicts.Conflict c, Map<String, Object> details) {
    alarm.eventConflicted(c.eventId(), details);
  }

  private Future<Void> once(String eventId, String kind, AuditEvent event, Runnable then) {
    Instant now = clock.instant();
    return store
        .anomaly(eventId, kind, now, now.minus(CLAIM))
        .compose(
            first -> {
              if (!first) {
                return Future.<Void>succeededFuture();
              }
              return audit
                  .append(event)
                  .compose(x -> store.anomalyAudited(eventId, kind, clock.instant()))
                  .onSuccess(x -> then.run())
                  .recover(
                      e -> store.notAnomaly(eventId, kind).compose(x -> Future.failedFuture(e)));
            });
  }
}
