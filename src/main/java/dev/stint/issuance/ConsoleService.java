package dev.stint.issuance;

import dev.stint.access.Caller;
import dev.stint.audit.AuditLog;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.mint.aws.AwsConsole;
import dev.stint.mint.aws.AwsSession;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code POST /v1/console}: an AWS console sign-in link, a front end of {@link Issuance}. The
 * session behind it is minted (and audited) like any credential; the link itself is audited as
 * {@code console.issued} before it is returned.
 */
public final class ConsoleService {
  private final Issuance issuance;
  private final AwsConsole console;
  private final AuditLog audit;

  public ConsoleService(Issuance issuance, AwsConsole console, AuditLog audit) {
    this.issuance = issuance;
    this.console = console;
    this.audit = audit;
  }

  /** A sign-in link, with the grant its session was issued under. */
  public record Link(String url, Instant expiresAt, Instant sessionExpiresAt, String grantId) {}

  public Future<Link> link(Caller caller, String profile, Optional<String> destination) {
    return issuance.issue(new Issuance.Ask(caller, profile, Optional.empty(),
        Issuance.Channel.CONSOLE)).compose(outcome -> {
          Issued issued = ((Issuance.Outcome.Minted) outcome).issued();
          AwsSession session = (AwsSession) issued.credential();
          String grantId = issued.grantId().orElseThrow();
          AwsConsole.Request request = new AwsConsole.Request(session, profile, destination,
              session.expiration());
          return Future.fromCompletionStage(console.link(request), Vertx.currentContext())
              .recover(e -> new IssuanceEvent(audit, caller, profile).denied(
                  new IssuanceEvent.Refusal(asStint(e), "console link: " + e.getMessage())))
              .compose(link -> audit.append(caller.event("console.issued")
                      .profile(profile)
                      .grantId(grantId)
                      .cloud("aws")
                      .outcome("ok")
                      .detail("access_key_id", session.accessKeyId())
                      .detail("session_expires_at", link.sessionExpiresAt().toString())
                      .detail("destination", destination.orElse("console home"))
                      .build())
                  .map(x -> new Link(link.url().toString(), link.linkExpiresAt(),
                      link.sessionExpiresAt(), grantId)));
        });
  }

  private static StintException asStint(Throwable e) {
    return e instanceof StintException s ? s
        : new StintException(ErrorCode.INTERNAL, "credential issuance failed", e);
  }
}
