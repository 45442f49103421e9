package dev.stint.mint.aws;

import io.vertx.core.Vertx;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.client.config.SdkAdvancedAsyncClientOption;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsAsyncClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The SDK clients stint uses, built once from {@link AwsSettings} and closed at shutdown.
 *
 * <p>STS, on every issuance, is the SDK's asynchronous client on {@link VertxSdkHttpClient}: no
 * thread waits for AWS. IAM, used only to write revocations, is the blocking client on the Apache
 * HttpClient 5 transport, run on an executor the caller provides (never an event loop). The SDK's
 * own async Netty client stays off the classpath: it is built for an older Netty line than the one
 * the Vert.x BOM selects. IAM and CloudTrail act in one account each: {@link AwsAccounts} says
 * which identity signs them for a role's account.
 */
public final class AwsClients implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AwsClients.class);

  /** Used when neither {@code aws.region} nor the SDK's region chain names a region. */
  static final Region FALLBACK_REGION = Region.US_EAST_1;

  private final AwsSettings settings;
  private final AwsCredentialsProvider credentials;

  /** The default chain this class built (and so closes); a caller's provider is the caller's. */
  private final Optional<SdkAutoCloseable> ownCredentials;

  private final ClientOverrideConfiguration override;
  private final SdkHttpClient http;
  private final VertxSdkHttpClient stsHttp;
  private final StsAsyncClient sts;
  private final StsAsyncClient anonymousSts;
  private final Region iamRegion;
  private final IamClient iam;
  private final StsClient blockingSts;
  private final AwsAccounts accounts;

  /**
   * IAM clients of other accounts, signed through their broker role; keyed by account, partition
   * included.
   */
  private final Map<AwsAccount, IamClient> brokerIam = new ConcurrentHashMap<>();

  /** STS clients for roles that name their own region; keyed by region and signing. */
  private final Map<String, StsAsyncClient> regional = new ConcurrentHashMap<>();

  /**
   * @param credentials stint's own AWS identity for AssumeRole, GetCallerIdentity and IAM (in
   *     production the SDK's default chain); AssumeRoleWithWebIdentity is never signed with it
   * @param maxConnections connection pool sizes; for IAM, match the executor running the calls
   */
  public AwsClients(
      Vertx vertx, AwsSettings settings, AwsCredentialsProvider credentials, int maxConnections) {
    this(vertx, settings, credentials, Optional.empty(), maxConnections);
  }

  private AwsClients(
      Vertx vertx,
      AwsSettings settings,
      AwsCredentialsProvider credentials,
      Optional<SdkAutoCloseable> ownCredentials,
      int maxConnections) {
    this.settings = settings;
    this.credentials = credentials;
    this.ownCredentials = ownCredentials;
    this.stsHttp = new VertxSdkHttpClient(vertx, maxConnections, settings.calls().attemptTimeout());
    this.http =
        Apache5HttpClient.builder()
            .maxConnections(maxConnections)
            .connectionTimeout(settings.calls().attemptTimeout())
            .socketTimeout(settings.calls().attemptTimeout())
            .build();
    Region region = region(settings.region());
    this.override = override(settings.calls());
    this.sts = sts(settings, region, override, credentials);
    // AssumeRoleWithWebIdentity is unsigned: the role trusts stint's token, not stint's own
    // identity, and the session must not depend on (nor be attributed to) stint's keys. Those keys
    // are still needed in web_identity mode, for the reachability check and the revocation.
    this.anonymousSts = sts(settings, region, override, AnonymousCredentialsProvider.create());
    this.iamRegion = iamRegion(region);
    this.iam = iam(credentials);
    var blocking =
        StsClient.builder()
            .httpClient(http)
            .overrideConfiguration(override)
            .credentialsProvider(credentials)
            .region(region);
    settings.stsEndpoint().ifPresent(blocking::endpointOverride);
    this.blockingSts = blocking.build();
    this.accounts = new AwsAccounts(sts, blockingSts, credentials, settings.brokerRole());
  }

  /**
   * Production wiring: stint's own AWS identity from the SDK's default credential chain
   * (environment, profile, web identity, container or instance role), resolved at first use. Every
   * deployment needs one, web_identity-only ones too: revocation writes IAM with it, so issuance
   * checks with it (GetCallerIdentity) that a revocation could reach the role.
   */
  public static AwsClients withDefaultCredentials(
      Vertx vertx, AwsSettings settings, int maxConnections) {
    // Refreshed in the background: a call never waits for a container or instance-metadata
    // refresh, only the very first one loads them.
    DefaultCredentialsProvider chain =
        DefaultCredentialsProvider.builder().asyncCredentialUpdateEnabled(true).build();
    return new AwsClients(vertx, settings, chain, Optional.of(chain), maxConnections);
  }

  /**
   * The STS client for a call: signed with stint's identity or anonymous (web identity), in the
   * role's own region when it names one and no STS endpoint override is configured.
   */
  StsAsyncClient sts(Optional<String> roleRegion, boolean anonymous) {
    if (roleRegion.isEmpty() || settings.stsEndpoint().isPresent()) {
      return anonymous ? anonymousSts : sts;
    }
    return regional.computeIfAbsent(
        roleRegion.get() + (anonymous ? "/anonymous" : ""),
        key ->
            sts(
                settings,
                Region.of(roleRegion.get()),
                override,
                anonymous ? AnonymousCredentialsProvider.create() : credentials));
  }

  /** Which identity reaches which account. */
  public AwsAccounts accounts() {
    return accounts;
  }

  /** The IAM client acting in {@code reach}'s account; never one out of reach. */
  IamClient iam(AwsAccounts.Reach reach) {
    if (reach instanceof AwsAccounts.Reach.Own) {
      return iam;
    }
    return brokerIam.computeIfAbsent(reach.account(), account -> iam(accounts.credentials(reach)));
  }

  private IamClient iam(AwsCredentialsProvider signer) {
    var builder =
        IamClient.builder()
            .httpClient(http)
            .overrideConfiguration(override)
            .credentialsProvider(signer)
            .region(iamRegion);
    settings.iamEndpoint().ifPresent(builder::endpointOverride);
    return builder.build();
  }

  /**
   * A CloudTrail client for {@code region} acting in {@code reach}'s account, on the blocking
   * transport; at {@code endpoint} when one is configured; a call given a turn is not sent late for
   * it ({@link TurnCheck}). The caller closes it.
   */
  CloudTrailClient cloudTrail(AwsAccounts.Reach reach, String region, Optional<URI> endpoint) {
    var builder =
        CloudTrailClient.builder()
            .httpClient(http)
            .overrideConfiguration(
                override.toBuilder().addExecutionInterceptor(new TurnCheck()).build())
            .credentialsProvider(accounts.credentials(reach))
            .region(Region.of(region));
    endpoint.ifPresent(builder::endpointOverride);
    return builder.build();
  }

  @Override
  public void close() {
    sts.close();
    anonymousSts.close();
    regional.values().forEach(StsAsyncClient::close);
    iam.close();
    brokerIam.values().forEach(IamClient::close);
    accounts.close();
    blockingSts.close();
    http.close();
    stsHttp.close();
    ownCredentials.ifPresent(SdkAutoCloseable::close); // the chain's background refresh
  }

  private StsAsyncClient sts(
      AwsSettings settings,
      Region region,
      ClientOverrideConfiguration override,
      AwsCredentialsProvider credentials) {
    var builder =
        StsAsyncClient.builder()
            .httpClient(stsHttp)
            .overrideConfiguration(override)
            .credentialsProvider(credentials)
            .region(region)
            // The answer is parsed on the event loop that received it, and the minter hands the
            // result to its caller's context itself: no extra hop through an SDK thread pool.
            .asyncConfiguration(
                async ->
                    async.advancedOption(
                        SdkAdvancedAsyncClientOption.FUTURE_COMPLETION_EXECUTOR,
                        (Executor) Runnable::run));
    settings.stsEndpoint().ifPresent(builder::endpointOverride);
    return builder.build();
  }

  private static ClientOverrideConfiguration override(AwsSettings.Calls calls) {
    BackoffStrategy backoff =
        BackoffStrategy.exponentialDelay(
            calls.retryBaseDelay(), calls.retryBaseDelay().multipliedBy(20));
    return ClientOverrideConfiguration.builder()
        .apiCallTimeout(calls.apiCallTimeout())
        .apiCallAttemptTimeout(calls.attemptTimeout())
        .retryStrategy(
            AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(calls.maxAttempts())
                .backoffStrategy(backoff)
                .throttlingBackoffStrategy(backoff)
                .build())
        .build();
  }

  static Region region(Optional<String> configured) {
    if (configured.isPresent()) {
      return Region.of(configured.get());
    }
    try {
      return new DefaultAwsRegionProviderChain().getRegion();
    } catch (RuntimeException e) {
      LOG.warn(
          "no AWS region configured (aws.region) or found by the SDK; using {}",
          FALLBACK_REGION.id());
      return FALLBACK_REGION;
    }
  }

  /**
   * IAM is global per partition, signed in the partition's home region. Not the SDK's {@code
   * aws-global} pseudo-region: with an endpoint override it would sign for "aws-global", which IAM
   * rejects.
   */
  static Region iamRegion(Region region) {
    String id = region.id();
    if (id.startsWith("cn-")) {
      return Region.CN_NORTH_1;
    }
    if (id.startsWith("us-gov-")) {
      return Region.US_GOV_WEST_1;
    }
    return Region.US_EAST_1;
  }
}
