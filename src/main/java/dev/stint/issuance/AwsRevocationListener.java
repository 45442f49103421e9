package dev.stint.issuance;

import dev.stint.access.Grant;
import dev.stint.access.RequestListener;
import dev.stint.audit.AuditEvent;
import dev.stint.audit.AuditLog;
import dev.stint.mint.aws.AwsRevocation;
import dev.stint.mint.aws.AwsRevocations;
import dev.stint.policy.AwsTarget;
import dev.stint.policy.PolicyStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends live AWS sessions when an AWS grant is revoked: the role's deny gains the grant's
 * {@code stint:grant} tag and per-grant source identity, so the holder's other grants on the role
 * keep working. Failures are retried
 * with backoff and each attempt's outcome is an audit event, so a revocation AWS has not yet
 * applied is visible to auditors, not only in a log.
 */
public final class AwsRevocationListener implements RequestListener {
  private static final Logger LOG = LoggerFactory.getLogger(AwsRevocationListener.class);
  public static final List<Duration> RETRY_DELAYS = List.of(Duration.ofSeconds(10),
      Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofHours(1));

  private final Vertx vertx;
  private final AwsRevocations revocations;
  private final PolicyStore policies;
  private final AuditLog audit;
  private final List<Duration> delays;

  public AwsRevocationListener(Vertx vertx, AwsRevocations revocations, PolicyStore policies,
      AuditLog audit, List<Duration> delays) {
    this.vertx = vertx;
    this.revocations = revocations;
    this.policies = policies;
    this.audit = audit;
    this.delays = List.copyOf(delays);
  }

  @Override
  public void changed(Change change) {
    if (!change.event().equals("grant.revoked") || change.request().grant().isEmpty()) {
      return;
    }
    policies.current().profile(change.request().profile())
        .filter(p -> p.target() instanceof AwsTarget)
        .ifPresent(p -> {
          Grant g = change.request().grant().get();
          AwsRevocation revocation = AwsRevocation.forHolder(((AwsTarget) p.target()).roleArn(),
              g.holder().issuer(), g.holder().subject(), g.id(), change.at());
          attempt(revocation, change, 0);
        });
  }

  private void attempt(AwsRevocation revocation, Change change, int attempt) {
    Future.fromCompletionStage(revocations.revoke(revocation), vertx.getOrCreateContext())
        .onSuccess(result -> record(change, "grant.revocation_applied", "ok",
            "deny statement in place on the role", attempt))
        .onFailure(e -> {
          boolean retry = attempt < delays.size();
          LOG.error("revoking AWS sessions of grant {} failed (attempt {}{}): {}",
              revocation.grantId(), attempt + 1, retry ? ", will retry" : ", giving up",
              e.getMessage());
          record(change, "grant.revocation_failed", "error", e.getMessage()
              + (retry ? "; retrying" : "; giving up, apply the deny by hand"), attempt);
          if (retry) {
            vertx.setTimer(Math.max(1, delays.get(attempt).toMillis()),
                t -> attempt(revocation, change, attempt + 1));
          }
        });
  }

  private void record(Change change, String type, String outcome, String reason, int attempt) {
    AuditEvent event = AuditEvent.builder(type)
        .actor(AuditEvent.Actor.SYSTEM)
        .requestId(change.request().id())
        .grantId(change.request().grant().map(Grant::id).orElse(null))
        .profile(change.request().profile())
        .cloud("aws")
        .outcome(outcome)
        .reason(reason)
        .detail("attempt", (long) attempt + 1)
        .build();
    audit.append(event).onFailure(e -> LOG.error("could not audit {}: {}", type, e.getMessage()));
  }
}
