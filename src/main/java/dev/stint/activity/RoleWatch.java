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
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Watches the roles of the policy for sessions stint did not hand out: a successful {@code
 * AssumeRole}, {@code AssumeRoleWithWebIdentity} or {@code AssumeRoleWithSAML} onto one of them
 * that created a session stint did not record minting is someone reaching the role around the
 * approval, whatever source identity it carries (one can be copied), and so is a session chained
 * onto it from a stint session. Each such call is recorded once ({@code role.assumed_outside}, by
 * its event id, whichever source saw it first), then raises the alarm.
 */
public final class RoleWatch {
  /** The calls that make a session in a role: by a key, by a web identity token, by SAML. */
  static final Set<String> ASSUMING =
      Set.of("AssumeRole", "AssumeRoleWithWebIdentity", "AssumeRoleWithSAML");

  /**
   * How long a claim to record an outside assumption holds: past it, with no record written, its
   * replica is taken to have stopped, and the next delivery of the event records it.
   */
  static final Duration CLAIM = Duration.ofMinutes(5);

  /** Who hears of a role assumed outside stint at once (the alarm's receivers). */
  @FunctionalInterface
  public interface Alarm {
    void roleAssumedOutside(String role, String caller, Map<String, Object> details);
  }

  private final IngestStore store;
  private final Supplier<Set<String>> roles;
  private final AuditLog audit;
  private final Alarm alarm;
  private final Clock clock;

  /** {@code roles}: the role ARNs the profiles of the policy in force name, read at each call. */
  public RoleWatch(
      GrantActivity view, Supplier<Set<String>> roles, AuditLog audit, Alarm alarm, Clock clock) {
    this.store = view.ingestStore();
    this.roles = roles;
    this.audit = audit;
    this.alarm = alarm;
    this.clock = clock;
  }

  /**
   * Records {@code call} and raises the alarm when it assumed a role of the policy outside stint;
   * fails when the record cannot be written, so the caller's source delivers it again.
   */
  public Future<Void> check(ActivityLookup.Call call) {
    Optional<String> role = call.assumedRole().flatMap(this::ofThePolicy);
    if (!ASSUMING.contains(call.name()) || role.isEmpty() || call.errorCode().isPresent()) {
      return Future.succeededFuture();
    }
    // Stint's own only when the session it created is one stint recorded minting: a source
    // identity alone can be copied by anyone allowed to set one on the role.
    Future<Boolean> ours =
        call.mintedKey().map(store::minted).orElse(Future.succeededFuture(false));
    return ours.compose(stint -> stint ? Future.succeededFuture() : record(role.get(), call));
  }

  /**
   * The policy's ARN of the role {@code assumed} names, compared as IAM compares roles ({@link
   * RoleIdentities}), not as strings.
   */
  private Optional<String> ofThePolicy(String assumed) {
    Optional<String> identity = RoleIdentities.of(assumed);
    if (identity.isEmpty()) {
      return Optional.empty();
    }
    return roles.get().stream().filter(r -> RoleIdentities.of(r).equals(identity)).findFirst();
  }

  private Future<Void> record(String role, ActivityLookup.Call call) {
    Map<String, Object> details = details(role, call);
    String caller =
        call.callerArn().or(call::federatedUser).or(call::accessKeyId).orElse("an unknown caller");
    Instant now = clock.instant();
    return store
        .outside(call.id(), now, now.minus(CLAIM))
        .compose(
            first -> {
              if (!first) {
                return Future.<Void>succeededFuture();
              }
              return audit
                  .append(event(role, caller, details))
                  .compose(x -> store.audited(call.id(), clock.instant()))
                  .onSuccess(x -> alarm.roleAssumedOutside(role, caller, details))
                  .recover(e -> store.notOutside(call.id()).compose(x -> Future.failedFuture(e)));
            });
  }

  static Map<String, Object> details(String role, ActivityLookup.Call call) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("role", role);
    call.callerArn().ifPresent(a -> d.put("caller_arn", a));
    call.federatedUser().ifPresent(u -> d.put("federated_user", u));
    call.accessKeyId().ifPresent(k -> d.put("access_key_id", k));
    call.sourceIp().ifPresent(ip -> d.put("source_ip", ip));
    call.sourceIdentity().ifPresent(s -> d.put("source_identity", s));
    d.put("event_time", call.time().toString());
    d.put("event_id", call.id());
    d.put("event_name", call.name());
    d.put("aws_region", call.region());
    return d;
  }

  private static AuditEvent event(String role, String caller, Map<String, Object> details) {
    AuditEvent.Builder b =
        AuditEvent.builder("role.assumed_outside")
            .actor(AuditEvent.Actor.SYSTEM)
            .cloud(Cloud.AWS.name())
            .target(role)
            .outcome("error")
            .reason(caller + " assumed " + role + " in a session stint did not mint");
    details.forEach(b::detail);
    return b.build();
  }
}
