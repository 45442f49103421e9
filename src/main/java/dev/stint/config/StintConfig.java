package dev.stint.config;

import dev.stint.common.SecureUrls;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The server's whole configuration, validated once at boot by {@link ConfigLoader}. The defaults
 * are defined, and documented, in {@link ConfigKeys}.
 */
public record StintConfig(
    HostPort listen,
    URI publicUrl,
    Path policiesDir,
    Path dataDir,
    DatabaseConfig database,
    List<Path> signingKeys,
    List<String> trustedProxies,
    Duration shutdownTimeout,
    AuditConfig audit,
    CloudEndpoints clouds,
    NotifyConfig notifications,
    AccessConfig access,
    WebUiConfig web,
    HttpConfig http,
    MetricsConfig metrics,
    ActivityConfig activity,
    FactsConfig facts,
    DirectoryConfig directory) {

  public StintConfig {
    signingKeys = List.copyOf(signingKeys);
    trustedProxies = List.copyOf(trustedProxies);
  }

  /** Where the HTTP server listens. */
  public record HostPort(String host, int port) {
    @Override
    public String toString() {
      return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
  }

  /**
   * The database: an external Postgres when {@code url} is set, otherwise an embedded one whose
   * files live under the data directory. {@code statementTimeout}, {@code connectTimeout} and
   * {@code tcpKeepalive} bound every wait on it (db.DatabaseTimeouts).
   */
  public record DatabaseConfig(
      Optional<DatabaseUrl> url,
      int poolSize,
      Duration statementTimeout,
      Duration connectTimeout,
      Duration tcpKeepalive) {}

  /**
   * The audit writer: {@code timeout} bounds one append (enqueue to commit), {@code maxBatch}
   * bounds how many events one transaction commits; {@code checkpoints}, when set, signs the chain
   * head to anchors outside the database; {@code sinks} stream every event out; {@code retention},
   * when set, exports and then drops month partitions older than it; {@code checkpointKeys} names
   * the checkpoints' own keys.
   */
  public record AuditConfig(
      Duration timeout,
      int maxBatch,
      Optional<CheckpointConfig> checkpoints,
      List<SinkConfig> sinks,
      Optional<Duration> retention,
      CheckpointKeyFiles checkpointKeys) {
    public AuditConfig {
      sinks = List.copyOf(sinks);
    }

    /** The writer alone, no checkpoints or sinks: what most tests and tools need. */
    public AuditConfig(Duration timeout, int maxBatch) {
      this(
          timeout,
          maxBatch,
          Optional.empty(),
          List.of(),
          Optional.empty(),
          new CheckpointKeyFiles(List.of(), Optional.empty()));
    }
  }

  /**
   * {@code audit.checkpoint_keys} (empty: a key generated into {@code data_dir}) and {@code
   * audit.checkpoint_legacy_jwks}: the keys of checkpoints, apart from {@code signing_keys}.
   */
  public record CheckpointKeyFiles(List<Path> signing, Optional<Path> legacyJwks) {
    public CheckpointKeyFiles {
      signing = List.copyOf(signing);
    }
  }

  /**
   * Endpoint overrides for the clouds' APIs (empty means the SDK's own default), the AWS broker
   * role stint reaches other accounts through (empty: none), and IAM Identity Center's access
   * portal (empty: none named).
   */
  public record CloudEndpoints(
      Optional<String> awsRegion,
      Optional<URI> awsSts,
      Optional<URI> awsIam,
      Optional<URI> awsSignin,
      Optional<URI> awsCloudTrail,
      Optional<URI> awsSsoAdmin,
      Optional<URI> awsIdentityStore,
      Optional<String> awsBrokerRole,
      Optional<URI> gcpIamCredentials,
      Optional<URI> gcpSts,
      Optional<URI> azureAuthorityHost,
      URI azureManagement,
      int awsRevocationPolicies,
      Optional<AccessPortal> awsAccessPortal) {}

  /**
   * stint's own reader of Azure's Activity Log: its app (tenant and client id) and the
   * subscriptions whose logs it reads.
   */
  public record AzureReader(String tenantId, String clientId, List<String> subscriptions) {
    public AzureReader {
      subscriptions = List.copyOf(subscriptions);
    }
  }

  /**
   * Activity per grant: how often live credentials are looked up, how long after their end the last
   * lookup waits, the AWS regions looked in, the token CloudTrail's pushed events must carry (held
   * only in memory; {@link #toString()} hides it), and Azure's Activity Log reader, if any.
   */
  public record ActivityConfig(
      Duration lookupEvery,
      Duration settle,
      List<String> awsRegions,
      Optional<String> ingestToken,
      Optional<AzureReader> azure) {
    public ActivityConfig {
      awsRegions = List.copyOf(awsRegions);
    }

    @Override
    public String toString() {
      return "ActivityConfig[lookupEvery="
          + lookupEvery
          + ", settle="
          + settle
          + ", awsRegions="
          + awsRegions
          + ", ingestToken="
          + (ingestToken.isPresent() ? "***" : "none")
          + ", azure="
          + azure
          + "]";
    }
  }

  /**
   * The directory an identity provider pushes over SCIM: the token its client must send (held only
   * in memory; {@link #toString()} hides it; absent, no {@code /scim/v2}), the policy's name for
   * the issuer its users are people of, and the claim of that issuer's tokens a user's {@code
   * externalId} is compared with ({@code sub}, or {@code oid} for Entra ID).
   */
  public record DirectoryConfig(
      Optional<String> scimToken, Optional<String> issuer, String matchClaim) {
    @Override
    public String toString() {
      return "DirectoryConfig[scimToken="
          + (scimToken.isPresent() ? "***" : "none")
          + ", issuer="
          + issuer.orElse("none")
          + ", matchClaim="
          + matchClaim
          + "]";
    }
  }

  /**
   * Where policy facts are looked up: PagerDuty's on-calls and Jira's tickets, each absent when not
   * configured (its facts are then false), and the server's own providers by name ({@code
   * fact("NAME")}); how long one lookup may take, and how often facts are looked up again for
   * requests that wait on them.
   */
  public record FactsConfig(
      Optional<FactsEndpoint> pagerDuty,
      Optional<FactsEndpoint> jira,
      Map<String, FactsEndpoint> http,
      Duration timeout,
      Duration recheck) {
    public FactsConfig {
      http = Collections.unmodifiableMap(new TreeMap<>(http));
    }
  }

  /**
   * One source of facts: its API's URL and the token sent with every lookup (held only in memory;
   * {@link #toString()} hides it).
   */
  public record FactsEndpoint(URI url, String token) {
    @Override
    public String toString() {
      return "FactsEndpoint[url=" + SecureUrls.shown(url) + ", token=***]";
    }
  }

  /** Access request settings: how long a pending request may wait for its approvers. */
  /** {@code expiryReminder}: how long before a grant's end its holder is reminded. */
  public record AccessConfig(
      Duration reviewTimeout,
      Duration expiryReminder,
      Duration outboxGiveUpAfter,
      Duration outboxLease,
      int ownRevocationsPerRole) {}

  /** Where notifications go; none configured means none are sent. */
  public record NotifyConfig(
      Optional<URI> slackWebhookUrl,
      List<Webhook> webhooks,
      Optional<SlackApp> slack,
      Optional<TeamsWebhook> teams) {
    public NotifyConfig {
      webhooks = List.copyOf(webhooks);
    }
  }

  /**
   * The Slack app: its bot token, and how its clicks reach stint: signed HTTP calls checked with
   * the signing secret, Socket Mode opened with the app token, or both (the secrets are held only
   * in memory; {@link #toString()} hides them); the channel request messages go to, the Web API
   * base, and how recently a linked person must have signed in for their click to count.
   */
  public record SlackApp(
      String botToken,
      Optional<String> signingSecret,
      Optional<String> appToken,
      Optional<String> channel,
      URI apiUrl,
      Duration identityMaxAge,
      boolean dmApprovers,
      Optional<Duration> emailLinkWithin,
      Optional<String> teamId) {
    /** Signed clicks, a channel, no direct messages to approvers, no matching by email. */
    public SlackApp(
        String botToken,
        String signingSecret,
        String channel,
        URI apiUrl,
        Duration identityMaxAge) {
      this(
          botToken,
          Optional.of(signingSecret),
          Optional.empty(),
          Optional.of(channel),
          apiUrl,
          identityMaxAge,
          false,
          Optional.empty(),
          Optional.empty());
    }

    /** Whether clicks arrive over Socket Mode. */
    public boolean socketMode() {
      return appToken.isPresent();
    }

    @Override
    public String toString() {
      return "SlackApp[botToken=***, signingSecret="
          + signingSecret.map(x -> "***").orElse("none")
          + ", appToken="
          + appToken.map(x -> "***").orElse("none")
          + ", channel="
          + channel
          + ", apiUrl="
          + apiUrl
          + ", identityMaxAge="
          + identityMaxAge
          + ", dmApprovers="
          + dmApprovers
          + ", emailLinkWithin="
          + emailLinkWithin
          + ", teamId="
          + teamId
          + "]";
    }
  }

  /**
   * A Microsoft Teams workflow webhook. Its query string carries the signature that lets anyone
   * holding the URL post to the channel, so the URL is a secret: {@link #toString()} and {@link
   * #redacted()} show only the scheme, host and port.
   */
  public record TeamsWebhook(URI url) {
    /** Enough to tell which receiver is meant (in logs, errors, outbox failures), no more. */
    public String redacted() {
      return url.getScheme()
          + "://"
          + url.getHost()
          + (url.getPort() < 0 ? "" : ":" + url.getPort())
          + "/***";
    }

    @Override
    public String toString() {
      return "TeamsWebhook[url=" + redacted() + "]";
    }
  }

  /**
   * A generic webhook. The HMAC secret is held here only in memory; {@link #toString()} hides it so
   * a logged config never carries it.
   */
  public record Webhook(URI url, String secret) {
    @Override
    public String toString() {
      return "Webhook[url=" + url + ", secret=***]";
    }
  }

  /**
   * The web pages' settings: the longest a session lasts and, for a confidential client, its secret
   * — held only in memory; {@link #toString()} hides it.
   */
  public record WebUiConfig(Duration sessionTtl, Optional<String> clientSecret) {
    @Override
    public String toString() {
      return "WebUiConfig[sessionTtl="
          + sessionTtl
          + ", clientSecret="
          + (clientSecret.isPresent() ? "***" : "none")
          + "]";
    }
  }

  /**
   * Connection and stream limits (see {@link ConfigKeys} for each default): idle and read timeouts,
   * the connection cap, the event-stream caps and how often a stream re-checks its reader.
   */
  public record HttpConfig(
      Duration idleTimeout,
      Duration readTimeout,
      int maxConnections,
      int maxEventStreams,
      int maxEventStreamsPerPerson,
      Duration streamRecheck) {}

  /**
   * Who may scrape /metrics: a listener of its own when {@code listen} is set; a bearer token from
   * anyone when {@code token} is, and otherwise callers on this host only. The token is held only
   * in memory; {@link #toString()} hides it.
   */
  public record MetricsConfig(Optional<HostPort> listen, Optional<String> token) {
    @Override
    public String toString() {
      return "MetricsConfig[listen="
          + listen.map(HostPort::toString).orElse("main")
          + ", token="
          + (token.isPresent() ? "***" : "none")
          + "]";
    }
  }
}
