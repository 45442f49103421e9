package dev.stint.issuance;

import dev.stint.access.Caller;
import dev.stint.audit.AuditEvent;
import dev.stint.audit.AuditLog;
import dev.stint.error.StintException;
import dev.stint.mint.aws.AwsConsole;
import dev.stint.policy.AwsTarget;
import dev.stint.policy.PolicyStore;
import dev.stint.policy.Profile;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * {@code POST /v1/console}: an AWS console sign-in link for the caller's active grant. The
 * session behind it is minted (and audited) like any credential; the link itself is audited
 * as {@code console.issued} before it is returned.
 */
public final class ConsoleService {
  private final IssuanceService issuance;
  private final PolicyStore policies;
  private final AwsConsole console;
  private final AuditLog audit;

  public ConsoleService(IssuanceService issuance, PolicyStore policies, AwsConsole console,
      AuditLog audit) {
    this.issuance = issuance;
    this.policies = policies;
    this.console = console;
    this.audit = audit;
  }

  public Future<JsonObject> link(Caller caller, String profileName, Optional<String> destination) {
    Optional<Profile> profile = policies.current().profile(profileName);
    if (profile.isPresent() && !(profile.get().target() instanceof AwsTarget)) {
      return Future.failedFuture(StintException.invalid(
          "console links are for AWS profiles; " + profileName + " is "
              + profile.get().target().cloud()));
    }
    return issuance.credentials(caller, profileName, Optional.empty()).compose(issued -> {
      AwsIssued aws = (AwsIssued) issued;
      AwsConsole.Request request = new AwsConsole.Request(aws.session(), profileName,
          destination, aws.session().expiration());
      return Future.fromCompletionStage(console.link(request), Vertx.currentContext())
          .recover(e -> issuance.refuse(caller, profileName, e, "console link: " + e.getMessage()))
          .compose(link -> audit.append(AuditEvent.builder("console.issued")
                  .actor(caller.principal().issuer(), caller.principal().subject(),
                      caller.principal().email().orElse(null))
                  .client(caller.clientAddress().orElse(null), caller.userAgent().orElse(null))
                  .profile(profileName)
                  .grantId(aws.grantId())
                  .cloud("aws")
                  .outcome("ok")
                  .detail("access_key_id", aws.session().accessKeyId())
                  .detail("session_expires_at", link.sessionExpiresAt().toString())
                  .detail("destination", destination.orElse("console home"))
                  .build())
              .map(x -> new JsonObject()
                  .put("url", link.url().toString())
                  .put("expires_at", link.linkExpiresAt().toString())
                  .put("session_expires_at", link.sessionExpiresAt().toString())
                  .put("grant_id", aws.grantId())));
    });
  }
}
