package dev.stint.config;

import dev.stint.common.Durations;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Loads and validates the server configuration once, at boot. Every problem is collected and
 * reported together; a message names the key, where it was set, and what was expected.
 */
public final class ConfigLoader {
  private final KeyReader keys;

  private ConfigLoader(ConfigSource source, Map<String, String> env) {
    this.keys = new KeyReader(source, env);
  }

  /** Loads the file (when given) overlaid with the environment; throws with every problem. */
  public static StintConfig load(Optional<Path> file, Map<String, String> env) {
    return new ConfigLoader(ConfigSource.read(file, env, ConfigKeys.ALL), env).bind();
  }

  private StintConfig bind() {
    var config =
        new StintConfig(
            keys.scalar(ConfigKeys.LISTEN, ConfigValues::hostPort),
            keys.scalar(ConfigKeys.PUBLIC_URL, ConfigValues::httpUrl),
            keys.scalar(ConfigKeys.POLICIES, Path::of),
            keys.scalar(ConfigKeys.DATA_DIR, Path::of),
            database(),
            keys.paths(ConfigKeys.SIGNING_KEYS),
            keys.networks(ConfigKeys.TRUSTED_PROXIES),
            keys.scalar(ConfigKeys.SHUTDOWN_TIMEOUT, Durations::parse),
            audit(),
            clouds(),
            new StintConfig.NotifyConfig(
                keys.optional(ConfigKeys.SLACK_WEBHOOK, ConfigValues::httpUrl),
                WebhookKeys.bind(keys),
                SlackKeys.bind(keys),
                keys.optional(ConfigKeys.TEAMS_WEBHOOK, TeamsKeys::webhook)),
            access(),
            new StintConfig.WebUiConfig(
                keys.scalar(ConfigKeys.WEB_SESSION_TTL, ConfigValues::sessionTtl),
                keys.optional(ConfigKeys.WEB_CLIENT_SECRET, ConfigValues::secret)),
            http(),
            MetricsKeys.bind(keys),
            activity(),
            facts(),
            DirectoryKeys.bind(keys));
    List<String> problems = keys.problems();
    CheckpointKeys.retentionNeedsAStore(config.audit(), problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return config;
  }

  /** The audit log's deadline and batches, its checkpoints, sinks and retention. */
  private StintConfig.AuditConfig audit() {
    List<String> problems = keys.problems();
    return new StintConfig.AuditConfig(
        keys.scalar(ConfigKeys.AUDIT_TIMEOUT, ConfigValues::auditTimeout),
        keys.scalar(ConfigKeys.AUDIT_MAX_BATCH, s -> ConfigValues.intInRange(s, 1, 10_000)),
        keys.raw(ConfigKeys.AUDIT_CHECKPOINTS)
            .flatMap(
                v -> CheckpointKeys.bind(v.node(), ConfigKeys.AUDIT_CHECKPOINTS.name(), problems)),
        keys.raw(ConfigKeys.AUDIT_SINKS)
            .map(v -> SinkKeys.bind(v.node(), ConfigKeys.AUDIT_SINKS.name(), keys.env(), problems))
            .orElse(List.of()),
        keys.optional(ConfigKeys.AUDIT_RETENTION, CheckpointKeys::auditRetention),
        new StintConfig.CheckpointKeyFiles(
            keys.paths(ConfigKeys.AUDIT_CHECKPOINT_KEYS),
            keys.optional(ConfigKeys.AUDIT_CHECKPOINT_LEGACY_JWKS, Path::of)));
  }

  /**
   * Where the clouds' APIs are (each endpoint override, or the SDK's own default), the AWS region,
   * the AWS broker role and the access portal of IAM Identity Center.
   */
  private StintConfig.CloudEndpoints clouds() {
    Optional<String> awsRegion = keys.optional(ConfigKeys.AWS_REGION, AwsKeys::region);
    return new StintConfig.CloudEndpoints(
        awsRegion,
        keys.optional(ConfigKeys.AWS_STS, ConfigValues::httpUrl),
        keys.optional(ConfigKeys.AWS_IAM, ConfigValues::httpUrl),
        keys.optional(ConfigKeys.AWS_SIGNIN, ConfigValues::httpUrl),
        keys.optional(ConfigKeys.AWS_CLOUDTRAIL, ConfigValues::httpUrl),
        keys.optional(ConfigKeys.AWS_SSO_ADMIN, ConfigValues::httpUrl),
        keys.optional(ConfigKeys.AWS_IDENTITYSTORE, ConfigValues::httpUrl),
        keys.optional(ConfigKeys.AWS_BROKER_ROLE, AwsKeys::roleName),
        keys.optional(ConfigKeys.GCP_IAMCREDENTIALS, ConfigValues::httpUrl),
        keys.optional(ConfigKeys.GCP_STS, ConfigValues::httpsUrl),
        keys.optional(AzureKeys.AUTHORITY, ConfigValues::httpsUrl),
        keys.scalar(AzureKeys.MANAGEMENT, AzureKeys::managementEndpoint),
        keys.scalar(ConfigKeys.AWS_REVOCATION_POLICIES, s -> ConfigValues.intInRange(s, 0, 20)),
        IdentityCenterKeys.bind(keys, awsRegion));
  }

  /** Requests' review and reminder times, and the outbox's retries and leases. */
  private StintConfig.AccessConfig access() {
    return new StintConfig.AccessConfig(
        keys.scalar(ConfigKeys.REVIEW_TIMEOUT, Durations::parse),
        keys.scalar(ConfigKeys.EXPIRY_REMINDER, Durations::parse),
        keys.scalar(ConfigKeys.OUTBOX_GIVE_UP_AFTER, Durations::parse),
        keys.scalar(ConfigKeys.OUTBOX_LEASE, ConfigValues::outboxLease),
        keys.scalar(
            ConfigKeys.OWN_REVOCATIONS_PER_ROLE, s -> ConfigValues.intInRange(s, 1, 100_000)));
  }

  /**
   * The database and the deadlines on it. A statement may take up to a minute (a caller waits that
   * long at worst); keepalive probes start after at most two hours idle (the Linux default).
   */
  private StintConfig.DatabaseConfig database() {
    return new StintConfig.DatabaseConfig(
        databaseUrl(),
        keys.scalar(ConfigKeys.DATABASE_POOL_SIZE, s -> ConfigValues.intInRange(s, 1, 200)),
        keys.scalar(
            ConfigKeys.DATABASE_STATEMENT_TIMEOUT,
            s -> ConfigValues.durationInRange(s, "1s", "1m")),
        keys.scalar(
            ConfigKeys.DATABASE_CONNECT_TIMEOUT, s -> ConfigValues.durationInRange(s, "1s", "1m")),
        keys.scalar(
            ConfigKeys.DATABASE_TCP_KEEPALIVE, s -> ConfigValues.durationInRange(s, "1s", "2h")));
  }

  /** The URL, with its password from {@code database.password_file} when that is set. */
  private Optional<DatabaseUrl> databaseUrl() {
    return DatabaseKeys.bind(
        keys.optional(ConfigKeys.DATABASE_URL, DatabaseUrl::parse),
        keys.optional(ConfigKeys.DATABASE_PASSWORD_FILE, DatabaseKeys::readPassword),
        keys.isSet(ConfigKeys.DATABASE_PASSWORD_FILE),
        keys.problems());
  }

  /** Connection and event-stream limits on the listeners (issue 20). */
  private StintConfig.HttpConfig http() {
    return new StintConfig.HttpConfig(
        keys.scalar(ConfigKeys.HTTP_IDLE_TIMEOUT, s -> ConfigValues.durationInRange(s, "1s", "1h")),
        keys.scalar(ConfigKeys.HTTP_READ_TIMEOUT, s -> ConfigValues.durationInRange(s, "1s", "5m")),
        keys.scalar(ConfigKeys.HTTP_MAX_CONNECTIONS, s -> ConfigValues.intInRange(s, 1, 1_000_000)),
        keys.scalar(ConfigKeys.HTTP_MAX_EVENT_STREAMS, s -> ConfigValues.intInRange(s, 1, 100_000)),
        keys.scalar(
            ConfigKeys.HTTP_MAX_EVENT_STREAMS_PER_PERSON,
            s -> ConfigValues.intInRange(s, 1, 1_000)),
        keys.scalar(
            ConfigKeys.HTTP_STREAM_RECHECK, s -> ConfigValues.durationInRange(s, "1s", "1m")));
  }

  /** Activity per grant; the regions default to aws.region and us-east-1. */
  private StintConfig.ActivityConfig activity() {
    List<String> awsRegions =
        keys.raw(ConfigKeys.ACTIVITY_REGIONS)
            .map(
                v -> {
                  try {
                    return ActivityKeys.regions(v.node());
                  } catch (IllegalArgumentException e) {
                    keys.problem(ConfigKeys.ACTIVITY_REGIONS, v, e.getMessage());
                    return List.<String>of();
                  }
                })
            .orElseGet(
                () ->
                    ActivityKeys.defaultRegions(
                        keys.optional(ConfigKeys.AWS_REGION, AwsKeys::region)));
    return new StintConfig.ActivityConfig(
        keys.scalar(ConfigKeys.ACTIVITY_LOOKUP_EVERY, ActivityKeys::lookupEvery),
        keys.scalar(ConfigKeys.ACTIVITY_SETTLE, ActivityKeys::settle),
        awsRegions,
        keys.optional(ConfigKeys.ACTIVITY_INGEST_TOKEN, ActivityKeys::bearerToken),
        AzureKeys.bind(
            keys.optional(AzureKeys.ACTIVITY_TENANT, AzureKeys::tenant),
            keys.optional(AzureKeys.ACTIVITY_CLIENT, AzureKeys::clientId),
            keys.listOf(AzureKeys.ACTIVITY_SUBSCRIPTIONS, AzureKeys::subscriptions),
            keys.present(
                AzureKeys.ACTIVITY_TENANT,
                AzureKeys.ACTIVITY_CLIENT,
                AzureKeys.ACTIVITY_SUBSCRIPTIONS),
            keys.problems()));
  }

  /** The sources of policy facts, and how they are looked up. */
  private StintConfig.FactsConfig facts() {
    return new StintConfig.FactsConfig(
        factsEndpoint(FactsKeys.PAGERDUTY_URL, FactsKeys.PAGERDUTY_TOKEN),
        factsEndpoint(FactsKeys.JIRA_URL, FactsKeys.JIRA_TOKEN),
        FactsKeys.http(keys.raw(FactsKeys.HTTP), keys.env(), keys.problems()),
        keys.scalar(FactsKeys.TIMEOUT, FactsKeys::timeout),
        keys.scalar(FactsKeys.RECHECK, FactsKeys::recheck));
  }

  /** A source is its URL with its token; either one alone is refused, naming the one missing. */
  private Optional<StintConfig.FactsEndpoint> factsEndpoint(ConfigKey urlKey, ConfigKey tokenKey) {
    boolean urlSet = keys.isSet(urlKey);
    boolean tokenSet = keys.isSet(tokenKey);
    var url = keys.optional(urlKey, FactsKeys::url);
    Optional<String> token = keys.optional(tokenKey, FactsKeys::token);
    if (urlSet && !tokenSet) {
      keys.problems().add(tokenKey.name() + " is required with " + urlKey.name());
    } else if (tokenSet && !urlSet) {
      keys.problems().add(urlKey.name() + " is required with " + tokenKey.name());
    }
    if (url.isEmpty() || token.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new StintConfig.FactsEndpoint(url.get(), token.get()));
  }
}
