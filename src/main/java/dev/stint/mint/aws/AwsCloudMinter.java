package dev.stint.mint.aws;

import dev.stint.common.AwsSessionPolicy;
import dev.stint.common.SourceNetworks;
import dev.stint.error.StintException;
import dev.stint.mint.ActivityLookup;
import dev.stint.mint.CloudMinter;
import dev.stint.mint.ConsoleSignIn;
import dev.stint.mint.Credential;
import dev.stint.mint.Lifetimes;
import dev.stint.mint.MintOrder;
import dev.stint.mint.MintTarget;
import dev.stint.mint.SessionRevoker;
import dev.stint.target.AwsTarget;
import dev.stint.target.CloudTarget;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * AWS: the policy's {@code aws:} target, minted through {@link AwsMinter}; console sign-in; a
 * revoke ends live sessions with each role's IAM deny ({@link AwsSessionRevoker}); what the
 * credentials did, from CloudTrail ({@link AwsActivity}).
 */
public final class AwsCloudMinter implements CloudMinter, ConsoleSignIn {
  private final AwsMinter minter;
  private final AwsConsole console;
  private final AwsSessionRevoker revoker;
  private final AwsActivity activity;

  public AwsCloudMinter(
      AwsMinter minter, AwsConsole console, AwsSessionRevoker revoker, AwsActivity activity) {
    this.minter = minter;
    this.console = console;
    this.revoker = revoker;
    this.activity = activity;
  }

  @Override
  public String cloud() {
    return "aws";
  }

  @Override
  public Lifetimes.CloudLimits limits() {
    return Lifetimes.CloudLimits.AWS;
  }

  @Override
  public MintTarget target(CloudTarget target, SourceNetworks sources) {
    AwsTarget aws = (AwsTarget) target;
    AwsRole.Mode mode =
        switch (aws.mode()) {
          case ASSUME_ROLE -> AwsRole.Mode.ASSUME_ROLE;
          case WEB_IDENTITY -> AwsRole.Mode.WEB_IDENTITY;
        };
    return new AwsRoleTarget(
        new AwsRole(aws.roleArn(), mode, aws.region()),
        new AwsSessionPolicy(sources, aws.sessionPolicy(), aws.sessionPolicyArns()));
  }

  @Override
  public CompletableFuture<Credential> mint(MintOrder order) {
    AwsRoleTarget target = (AwsRoleTarget) order.target();
    AwsMintRequest request =
        new AwsMintRequest(
            target.role(),
            order.under(),
            order.profile(),
            order.holder(),
            sourceIdentity(order),
            order.lifetime(),
            order.hardEnd(),
            target.sessionPolicy());
    return minter.mint(request).thenApply(session -> session);
  }

  @Override
  public Optional<ConsoleSignIn> console() {
    return Optional.of(this);
  }

  @Override
  public Optional<SessionRevoker> revoker() {
    return Optional.of(revoker);
  }

  @Override
  public Optional<ActivityLookup> activity() {
    return Optional.of(activity);
  }

  /**
   * The role's partition decides the sign-in and console hosts; the page and region are checked
   * here, before anything is minted.
   */
  @Override
  public ConsoleSignIn.Landing landing(
      MintTarget target, String profile, Optional<String> destination, Optional<String> region) {
    AwsRoleTarget role = (AwsRoleTarget) target;
    AwsPartition partition =
        AwsPartition.ofArn(role.role().roleArn())
            .orElseThrow(
                () ->
                    StintException.invalid(
                        "profile "
                            + profile
                            + " has a role in an AWS partition without a console sign-in"));
    AwsConsole.Landing landing = new AwsConsole.Landing(partition, destination, region);
    console.destination(landing);
    return credential -> {
      AwsSession session = (AwsSession) credential;
      return console.link(new AwsConsole.Request(session, profile, landing, session.expiration()));
    };
  }

  /** Per grant; under a CI rule, per rule (there is no grant to revoke). */
  static String sourceIdentity(MintOrder order) {
    return SourceIdentities.of(order.issuer(), order.subject(), order.under().tag());
  }
}
