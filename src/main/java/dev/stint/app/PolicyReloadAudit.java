package dev.stint.app;

import dev.stint.audit.AuditEvent;
import dev.stint.audit.AuditLog;
import dev.stint.policy.PolicyReload;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records every policy reload attempt: {@code policy.reloaded} when the new policy is in force,
 * {@code policy.refused} with every problem when it was not valid and the last good one stays.
 */
final class PolicyReloadAudit implements Consumer<PolicyReload> {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyReloadAudit.class);
  private final AuditLog audit;

  PolicyReloadAudit(AuditLog audit) {
    this.audit = audit;
  }

  @Override
  public void accept(PolicyReload reload) {
    AuditEvent event =
        AuditEvent.builder(reload.success() ? "policy.reloaded" : "policy.refused")
            .actor(AuditEvent.Actor.SYSTEM)
            .outcome(reload.success() ? "ok" : "refused")
            .reason(
                reload.success()
                    ? "the new policy is in force"
                    : "invalid policy refused; the last good policy stays in force: "
                        + reload.problems().stream().findFirst().orElse("no problem named"))
            .detail("files", reload.files().stream().map(Path::toString).toList())
            .detail("content_sha256", reload.contentHash())
            .detail("problems", reload.problems())
            .build();
    audit
        .append(event)
        .onFailure(e -> LOG.error("policy reload could not be audited: {}", e.getMessage()));
  }
}
