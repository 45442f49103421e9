package dev.stint.issuance;

import dev.stint.access.DurableListener;
import dev.stint.access.Grant;
import dev.stint.access.RequestListener.Change;
import dev.stint.audit.AuditEvent;
import dev.stint.audit.AuditLog;
import dev.stint.mint.aws.AwsRevocation;
import dev.stint.mint.aws.AwsRevocations;
import dev.stint.policy.AwsTarget;
import dev.stint.policy.PolicyStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Ends live AWS sessions when an AWS grant is revoked: the role's deny gains the grant's
 * {@code stint:grant} tag and per-grant source identity, so the holder's other grants on the role
 * keep working. It is an outbox listener: the revocation is written with the decision and
 * delivered until IAM holds the deny (AwsRevocations reads the policy back), across restarts and
 * replicas. Each attempt's outcome is an audit event, so a revocation AWS has not yet applied is
 * visible to auditors, not only in a log.
 */
public final class AwsRevocationListener implements DurableListener {
  /** The outbox name of this listener's rows. */
  public static final String NAME = "aws.revocation";

  private final Vertx vertx;
  private final AwsRevocations revocations;
  private final PolicyStore policies;
  private final AuditLog audit;
  private final Clock clock;
  private final Consumer<Duration> revokeToDeny;

  /** @param revokeToDeny told, per applied revocation, how long after the revoke the deny held */
  public AwsRevocationListener(Vertx vertx, AwsRevocations revocations, PolicyStore policies,
      AuditLog audit, Clock clock, Consumer<Duration> revokeToDeny) {
    this.vertx = vertx;
    this.revocations = revocations;
    this.policies = policies;
    this.audit = audit;
    this.clock = clock;
    this.revokeToDeny = revokeToDeny;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean wants(Change change) {
    return change.event().equals("grant.revoked") && change.request().grant().isPresent()
        && role(change).isPresent();
  }

  /** One role's policy is read, merged and written by one replica at a time. */
  @Override
  public Optional<String> turn(Change change) {
    return role(change);
  }

  @Override
  public Future<Void> deliver(Change change, Delivery delivery) {
    Optional<String> role = role(change);
    if (role.isEmpty()) {
      return Future.failedFuture(new IllegalStateException("profile "
          + change.request().profile() + " is no longer an AWS profile in the policy"));
    }
    Grant g = change.request().grant().orElseThrow();
    AwsRevocation revocation = AwsRevocation.forHolder(role.get(), g.holder().issuer(),
        g.holder().subject(), g.id(), change.at(), g.endsAt());
    return Future.fromCompletionStage(revocations.revoke(revocation), vertx.getOrCreateContext())
        .compose(result -> {
          revokeToDeny.accept(Duration.between(change.at(), clock.instant()));
          return record(change, "grant.revocation_applied", "ok",
              "deny statement in place on the role", delivery);
        });
  }

  @Override
  public Future<Void> failed(Change change, Delivery delivery, String why, boolean last) {
    return record(change, "grant.revocation_failed", "error", why
        + (last ? "; giving up, apply the deny by hand or retry it (stint admin outbox)"
            : "; retrying"), delivery);
  }

  @Override
  public boolean audits() {
    return true;
  }

  /** The role of the request's profile, while the policy has it as an AWS profile. */
  private Optional<String> role(Change change) {
    return policies.current().profile(change.request().profile())
        .filter(p -> p.target() instanceof AwsTarget)
        .map(p -> ((AwsTarget) p.target()).roleArn());
  }

  private Future<Void> record(Change change, String type, String outcome, String reason,
      Delivery delivery) {
    AuditEvent event = AuditEvent.builder(type)
        .actor(AuditEvent.Actor.SYSTEM)
        .requestId(change.request().id())
        .grantId(change.request().grant().map(Grant::id).orElse(null))
        .profile(change.request().profile())
        .cloud("aws")
        .outcome(outcome)
        .reason(reason)
        .detail("attempt", (long) delivery.attempt())
        .detail("outbox_id", delivery.id())
        .build();
    return audit.append(event).mapEmpty();
  }
}
