package dev.stint.issuance;

import dev.stint.access.Caller;
import dev.stint.audit.AuditLog;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.mint.aws.AwsConsole;
import dev.stint.mint.aws.AwsPartition;
import dev.stint.mint.aws.AwsSession;
import dev.stint.policy.AwsTarget;
import dev.stint.policy.PolicyStore;
import dev.stint.policy.Profile;
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
  private final PolicyStore policies;
  private final AuditLog audit;

  public ConsoleService(
      Issuance issuance, AwsConsole console, PolicyStore policies, AuditLog audit) {
    this.issuance = issuance;
    this.console = console;
    this.policies = policies;
    this.audit = audit;
  }

  /** Where to land in the console: a page (URL or path) and a region, both optional. */
  public record Where(Optional<String> destination, Optional<String> region) {
    public static final Where HOME = new Where(Optional.empty(), Optional.empty());
  }

  /** A sign-in link, with the grant its session was issued under. */
  public record Link(String url, Instant expiresAt, Instant sessionExpiresAt, String grantId) {}

  public Future<Link> link(Caller caller, String profile, Where where) {
    Optional<String> destination = where.destination();
    AwsConsole.Landing landing;
    try {
      // Checked before anything is minted: a refused link should cost no session.
      landing = new AwsConsole.Landing(partition(profile), destination, where.region());
      console.destination(landing);
    } catch (StintException e) {
      return new IssuanceEvent(audit, caller, profile)
          .denied(new IssuanceEvent.Refusal(e, "console link: " + e.getMessage()));
    }
    return issuance
        .issue(new Issuance.Ask(caller, profile, Optional.empty(), Issuance.Channel.CONSOLE))
        .compose(
            outcome -> {
              Issued issued = ((Issuance.Outcome.Minted) outcome).issued();
              AwsSession session = (AwsSession) issued.credential();
              String grantId = issued.grantId().orElseThrow();
              AwsConsole.Request request =
                  new AwsConsole.Request(session, profile, landing, session.expiration());
              return Future.fromCompletionStage(console.link(request), Vertx.currentContext())
                  .recover(
                      e ->
                          new IssuanceEvent(audit, caller, profile)
                              .denied(
                                  new IssuanceEvent.Refusal(
                                      asStint(e), "console link: " + e.getMessage())))
                  .compose(
                      link ->
                          audit
                              .append(
                                  caller
                                      .event("console.issued")
                                      .profile(profile)
                                      .grantId(grantId)
                                      .cloud("aws")
                                      .outcome("ok")
                                      .detail("credential_id", issued.credentialId())
                                      .detail("access_key_id", session.accessKeyId())
                                      .detail(
                                          "session_expires_at", link.sessionExpiresAt().toString())
                                      .detail("destination", destination.orElse("console home"))
                                      .build())
                              .map(
                                  x ->
                                      new Link(
                                          link.url().toString(),
                                          link.linkExpiresAt(),
                                          link.sessionExpiresAt(),
                                          grantId)));
            });
  }

  /**
   * The partition of the profile's role, which decides the sign-in and console hosts. A profile the
   * policy does not hold is refused by issuance, which says so in its own words.
   */
  private AwsPartition partition(String profile) {
    Profile p = policies.current().profiles().get(profile);
    if (p == null) {
      return AwsPartition.AWS;
    }
    if (!(p.target() instanceof AwsTarget aws)) {
      throw StintException.invalid(
          "profile "
              + profile
              + " is not an AWS profile: only AWS has a"
              + " console sign-in link");
    }
    return AwsPartition.ofArn(aws.roleArn())
        .orElseThrow(
            () ->
                StintException.invalid(
                    "profile "
                        + profile
                        + " has a role in an AWS partition without a console sign-in"));
  }

  private static StintException asStint(Throwable e) {
    return e instanceof StintException s
        ? s
        : new StintException(ErrorCode.INTERNAL, "credential issuance failed", e);
  }
}
