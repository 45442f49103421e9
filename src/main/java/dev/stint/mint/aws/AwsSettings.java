package dev.stint.mint.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * How stint talks to AWS: endpoint overrides (VPC endpoints, GovCloud, China, local fakes in
 * tests), the region, the bounds on every call, and the broker role ({@code aws.broker_role}: a
 * role name, optionally after its path) through which stint reaches accounts other than its own for
 * IAM and CloudTrail ({@link AwsAccounts}); none by default. Every AWS call is bounded: a slow STS
 * must make a caller wait seconds, not minutes.
 */
public record AwsSettings(
    Optional<String> region,
    Optional<URI> stsEndpoint,
    Optional<URI> iamEndpoint,
    URI signinEndpoint,
    Calls calls,
    Optional<String> brokerRole) {

  /** The sign-in (federation) endpoint when none is configured. */
  public static final URI DEFAULT_SIGNIN = URI.create("https://signin.aws.amazon.com");

  /**
   * Bounds on one API call: the whole call including retries, one attempt, the number of attempts,
   * and the base delay between attempts (exponential with jitter).
   */
  public record Calls(
      Duration apiCallTimeout, Duration attemptTimeout, int maxAttempts, Duration retryBaseDelay) {
    /** Production defaults: at most 10 s per call, 3 s per attempt, 3 attempts. */
    public static final Calls DEFAULT =
        new Calls(Duration.ofSeconds(10), Duration.ofSeconds(3), 3, Duration.ofMillis(100));

    public Calls {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1");
      }
    }
  }

  /** Without a broker role: only stint's own account is reached for IAM and CloudTrail. */
  public AwsSettings(
      Optional<String> region,
      Optional<URI> stsEndpoint,
      Optional<URI> iamEndpoint,
      URI signinEndpoint,
      Calls calls) {
    this(region, stsEndpoint, iamEndpoint, signinEndpoint, calls, Optional.empty());
  }

  /** From the server configuration, with the default call bounds. */
  public static AwsSettings of(
      Optional<String> region, Optional<URI> sts, Optional<URI> iam, Optional<URI> signin) {
    return new AwsSettings(region, sts, iam, signin.orElse(DEFAULT_SIGNIN), Calls.DEFAULT);
  }

  public AwsSettings withCalls(Calls newCalls) {
    return new AwsSettings(region, stsEndpoint, iamEndpoint, signinEndpoint, newCalls, brokerRole);
  }

  public AwsSettings withBrokerRole(Optional<String> role) {
    return new AwsSettings(region, stsEndpoint, iamEndpoint, signinEndpoint, calls, role);
  }
}
