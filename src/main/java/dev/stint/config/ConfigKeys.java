package dev.stint.config;

import java.util.List;
import java.util.Optional;

/**
 * Every configuration key stint knows, with its environment variable and default ({@link #ALL}).
 * Each key and its default are defined once: an area whose keys have rules of their own (Slack,
 * facts, Azure, the directory) defines them beside those rules, in its {@code *Keys} class; the
 * rest are defined here. The README's configuration reference mirrors {@link #ALL}.
 */
public final class ConfigKeys {

  public static final ConfigKey LISTEN = scalar("listen", "STINT_LISTEN", "127.0.0.1:8080");
  public static final ConfigKey PUBLIC_URL =
      scalar("public_url", "STINT_PUBLIC_URL", "http://127.0.0.1:8080");
  public static final ConfigKey POLICIES = scalar("policies", "STINT_POLICIES", "./policies");
  public static final ConfigKey DATA_DIR = scalar("data_dir", "STINT_DATA_DIR", "./.stint");

  /** Absent: an embedded Postgres under {@code data_dir}/postgres. */
  public static final ConfigKey DATABASE_URL = scalar("database.url", "STINT_DATABASE_URL", null);

  /**
   * A file holding the database password, read once at boot (a mounted Kubernetes Secret, say), for
   * a {@code database.url} that names none. Absent: the password is the URL's.
   */
  public static final ConfigKey DATABASE_PASSWORD_FILE =
      scalar("database.password_file", "STINT_DATABASE_PASSWORD_FILE", null);

  public static final ConfigKey DATABASE_POOL_SIZE =
      scalar("database.pool_size", "STINT_DATABASE_POOL_SIZE", "8");

  /**
   * How long one statement may go unanswered, getting a connection for it included: its caller then
   * gets 503, and the connection is dropped with whatever was queued on it (a database whose
   * address went silent is found by this). The same as {@code db.DatabaseTimeouts.DEFAULTS}.
   */
  public static final ConfigKey DATABASE_STATEMENT_TIMEOUT =
      scalar("database.statement_timeout", "STINT_DATABASE_STATEMENT_TIMEOUT", "5s");

  /** How long opening a database connection may take, TCP connect and Postgres handshake. */
  public static final ConfigKey DATABASE_CONNECT_TIMEOUT =
      scalar("database.connect_timeout", "STINT_DATABASE_CONNECT_TIMEOUT", "5s");

  /**
   * Idle time before TCP keepalive probes start on a database connection (then every third of it;
   * three unanswered drop the connection); the LISTEN connections ask the database this often.
   */
  public static final ConfigKey DATABASE_TCP_KEEPALIVE =
      scalar("database.tcp_keepalive", "STINT_DATABASE_TCP_KEEPALIVE", "10s");

  /** Absent: one key generated once into {@code data_dir}. Env form: comma-separated paths. */
  public static final ConfigKey SIGNING_KEYS = list("signing_keys", "STINT_SIGNING_KEYS");

  /**
   * Proxies (CIDRs) whose X-Forwarded-For stint believes when it decides a caller's address (for
   * source_cidrs and the audit record). Absent: nobody's; the caller is the TCP peer.
   */
  public static final ConfigKey TRUSTED_PROXIES = list("trusted_proxies", "STINT_TRUSTED_PROXIES");

  /** How long in-flight requests may take to finish after SIGTERM. */
  public static final ConfigKey SHUTDOWN_TIMEOUT =
      scalar("shutdown_timeout", "STINT_SHUTDOWN_TIMEOUT", "30s");

  /**
   * How long an audit append may take before the caller gets 503 audit_unavailable (its own limit,
   * separate from any request's).
   */
  public static final ConfigKey AUDIT_TIMEOUT =
      scalar("audit.timeout", "STINT_AUDIT_TIMEOUT", "2s");

  /** At most this many audit events are committed in one transaction (group commit). */
  /**
   * Absent: no checkpoints. A mapping {@code {every_events, every_seconds, verify_every, anchors}}
   * (file only; {@link CheckpointKeys} holds its defaults and rules).
   */
  public static final ConfigKey AUDIT_CHECKPOINTS =
      new ConfigKey("audit.checkpoints", null, Optional.empty(), false);

  /** Absent: no sinks. A list of sinks (file only; {@link SinkKeys} holds the rules). */
  public static final ConfigKey AUDIT_SINKS = list("audit.sinks", null);

  /**
   * The keys audit checkpoints are signed with, never one of {@code signing_keys}; the first signs,
   * all verify. Absent: one key generated once into {@code data_dir}. Env form: comma-separated
   * paths.
   */
  public static final ConfigKey AUDIT_CHECKPOINT_KEYS =
      list("audit.checkpoint_keys", "STINT_AUDIT_CHECKPOINT_KEYS");

  /**
   * A JWKS file of the keys that signed checkpoints before they had keys of their own (a saved copy
   * of that time's {@code /.well-known/jwks.json}): they verify, never sign. Absent: none.
   */
  public static final ConfigKey AUDIT_CHECKPOINT_LEGACY_JWKS =
      scalar("audit.checkpoint_legacy_jwks", "STINT_AUDIT_CHECKPOINT_LEGACY_JWKS", null);

  public static final ConfigKey AUDIT_MAX_BATCH =
      scalar("audit.max_batch", "STINT_AUDIT_MAX_BATCH", "256");

  /**
   * Absent (the default): audit events are kept for ever. A duration ({@code 400d}): a month
   * partition entirely older than this is exported to the checkpoint anchors that store objects,
   * read back, and only then dropped; at least one such anchor is required.
   */
  public static final ConfigKey AUDIT_RETENTION =
      scalar("audit.retention", "STINT_AUDIT_RETENTION", null);

  public static final ConfigKey AWS_REGION = scalar("aws.region", "STINT_AWS_REGION", null);
  public static final ConfigKey AWS_STS =
      scalar("aws.sts_endpoint", "STINT_AWS_STS_ENDPOINT", null);
  public static final ConfigKey AWS_IAM =
      scalar("aws.iam_endpoint", "STINT_AWS_IAM_ENDPOINT", null);

  /**
   * The role, by name (optionally after its path: {@code stint/broker}), that stint assumes in an
   * account other than its own to write a revocation's deny and look up activity there; absent:
   * none, so a role in another account is neither issued on ({@code assume_role}) nor revoked.
   */
  public static final ConfigKey AWS_BROKER_ROLE =
      scalar("aws.broker_role", "STINT_AWS_BROKER_ROLE", null);

  /**
   * How many customer managed policies of its own (path {@code /stint/}) stint may attach to one
   * role for revocation denies the inline policy cannot hold: 0 to 20 (IAM's highest quota); 0
   * keeps them inline alone. Five leave five of IAM's default ten slots to the role's own policies.
   */
  public static final ConfigKey AWS_REVOCATION_POLICIES =
      scalar("aws.revocation_policies", "STINT_AWS_REVOCATION_POLICIES", "5");

  /** CloudTrail's API, for what each credential did (activity per grant). */
  public static final ConfigKey AWS_CLOUDTRAIL =
      scalar("aws.cloudtrail_endpoint", "STINT_AWS_CLOUDTRAIL_ENDPOINT", null);

  /**
   * IAM Identity Center's SSO Admin API, where an {@code identity_center} profile's account
   * assignments are made and deleted; absent: the SDK's default for {@code aws.region}.
   */
  public static final ConfigKey AWS_SSO_ADMIN =
      scalar("aws.sso_admin_endpoint", "STINT_AWS_SSO_ADMIN_ENDPOINT", null);

  /** IAM Identity Center's identity store, where a person's user is found by user name. */
  public static final ConfigKey AWS_IDENTITYSTORE =
      scalar("aws.identitystore_endpoint", "STINT_AWS_IDENTITYSTORE_ENDPOINT", null);

  /** How often a grant's live credentials are looked up in the cloud's logs. */
  public static final ConfigKey ACTIVITY_LOOKUP_EVERY =
      scalar("activity.lookup_every", "STINT_ACTIVITY_LOOKUP_EVERY", "5m");

  /**
   * How long after a credential ends its last lookup is made, when the grant's activity is settled
   * and recorded in the audit: the cloud delivers its log records late.
   */
  public static final ConfigKey ACTIVITY_SETTLE =
      scalar("activity.settle", "STINT_ACTIVITY_SETTLE", "15m");

  /**
   * The AWS regions whose CloudTrail event history is looked up (each region keeps its own); unset,
   * aws.region and us-east-1, where the global services' calls are logged.
   */
  public static final ConfigKey ACTIVITY_REGIONS =
      list("activity.regions", "STINT_ACTIVITY_REGIONS");

  /**
   * The bearer token EventBridge sends with each CloudTrail event it pushes to {@code POST
   * /v1/ingest/cloudtrail}; unset, that route does not exist. A secret: never logged or shown.
   */
  public static final ConfigKey ACTIVITY_INGEST_TOKEN =
      scalar("activity.ingest_token", "STINT_ACTIVITY_INGEST_TOKEN", null);

  public static final ConfigKey AWS_SIGNIN =
      scalar("aws.signin_endpoint", "STINT_AWS_SIGNIN_ENDPOINT", null);
  public static final ConfigKey GCP_IAMCREDENTIALS =
      scalar("gcp.iamcredentials_endpoint", "STINT_GCP_IAMCREDENTIALS_ENDPOINT", null);
  public static final ConfigKey GCP_STS =
      scalar("gcp.sts_endpoint", "STINT_GCP_STS_ENDPOINT", null);

  public static final ConfigKey SLACK_WEBHOOK =
      scalar("notify.slack_webhook_url", "STINT_SLACK_WEBHOOK_URL", null);

  /**
   * A Microsoft Teams "Workflows" webhook: request cards are posted there. Its query string carries
   * the signature that authorises posting, so the URL is a secret: never logged or shown in full.
   * https, or http on a loopback address for a local stand-in.
   */
  public static final ConfigKey TEAMS_WEBHOOK =
      scalar("notify.teams.webhook_url", "STINT_TEAMS_WEBHOOK_URL", null);

  /** A list of {@code {url, secret}} or {@code {url, secret_env}} entries; file only. */
  public static final ConfigKey WEBHOOKS = list("notify.webhooks", null);

  /** How long a pending request waits for a decision before it times out. */
  public static final ConfigKey REVIEW_TIMEOUT =
      scalar("access.review_timeout", "STINT_REVIEW_TIMEOUT", "24h");

  /**
   * How many of one person's own revoked grants may take room in one role's denies at once (their
   * sessions may be alive); past it, revoking their own grant answers 429 with Retry-After.
   */
  public static final ConfigKey OWN_REVOCATIONS_PER_ROLE =
      scalar("access.own_revocations_per_role", "STINT_ACCESS_OWN_REVOCATIONS_PER_ROLE", "100");

  /** How long before a grant ends its holder is reminded (grant.expiring). */
  public static final ConfigKey EXPIRY_REMINDER =
      scalar("access.expiry_reminder", "STINT_EXPIRY_REMINDER", "10m");

  /**
   * How long the outbox keeps retrying a side effect (an AWS revocation, a notification) before it
   * marks it dead: kept, listed at GET /v1/admin/outbox, retried only by an admin.
   */
  public static final ConfigKey OUTBOX_GIVE_UP_AFTER =
      scalar("outbox.give_up_after", "STINT_OUTBOX_GIVE_UP_AFTER", "24h");

  /**
   * How long a replica's claim on an outbox row lasts: a replica that dies mid-delivery delays that
   * row by at most this much. A live replica renews its claim while its delivery runs, three times
   * a lease, so a delivery that runs longer is not repeated beside it.
   */
  public static final ConfigKey OUTBOX_LEASE = scalar("outbox.lease", "STINT_OUTBOX_LEASE", "2m");

  /** Longest a web (/ui) session lasts; it also ends when the ID token it was made from expires. */
  public static final ConfigKey WEB_SESSION_TTL =
      scalar("web.session_ttl", "STINT_WEB_SESSION_TTL", "8h");

  /** Absent: the web client is a public client (PKCE only). Never logged. */
  public static final ConfigKey WEB_CLIENT_SECRET =
      scalar("web.client_secret", "STINT_WEB_CLIENT_SECRET", null);

  // --- HTTP hardening (issue 20): connection and stream limits, /metrics access ---
  /**
   * A connection that neither sends nor receives for this long is closed. Event streams send a
   * heartbeat comment well within it, so a live stream is never cut.
   */
  public static final ConfigKey HTTP_IDLE_TIMEOUT =
      scalar("http.idle_timeout", "STINT_HTTP_IDLE_TIMEOUT", "60s");

  /**
   * A request's head and body must arrive within this (from the connection opening, or from the
   * previous answer for the next request); a slow sender is disconnected.
   */
  public static final ConfigKey HTTP_READ_TIMEOUT =
      scalar("http.read_timeout", "STINT_HTTP_READ_TIMEOUT", "10s");

  /** Open connections per listener (main, metrics); new ones beyond it are closed at once. */
  public static final ConfigKey HTTP_MAX_CONNECTIONS =
      scalar("http.max_connections", "STINT_HTTP_MAX_CONNECTIONS", "1000");

  /** Open audit event streams (API and web); more get 503. */
  public static final ConfigKey HTTP_MAX_EVENT_STREAMS =
      scalar("http.max_event_streams", "STINT_HTTP_MAX_EVENT_STREAMS", "100");

  /** Open audit event streams of one person (issuer, sub); more get 429. */
  public static final ConfigKey HTTP_MAX_EVENT_STREAMS_PER_PERSON =
      scalar("http.max_event_streams_per_person", "STINT_HTTP_MAX_EVENT_STREAMS_PER_PERSON", "4");

  /**
   * How often an open event stream re-checks that whoever opened it may still read it (token or
   * session unexpired, still an auditor under the policy in force); at most 1m.
   */
  public static final ConfigKey HTTP_STREAM_RECHECK =
      scalar("http.stream_recheck", "STINT_HTTP_STREAM_RECHECK", "30s");

  /** Absent: /metrics is on the main listener. Set: only on this HOST:PORT. */
  public static final ConfigKey METRICS_LISTEN =
      scalar("metrics.listen", "STINT_METRICS_LISTEN", null);

  /**
   * A file holding the bearer token /metrics requires from every caller. Absent (and no token):
   * /metrics answers callers on this host only (the TCP peer on loopback), and refuses others.
   */
  public static final ConfigKey METRICS_TOKEN_FILE =
      scalar("metrics.token_file", "STINT_METRICS_TOKEN_FILE", null);

  /** The bearer token /metrics requires, given inline; never logged. */
  public static final ConfigKey METRICS_TOKEN =
      scalar("metrics.token", "STINT_METRICS_TOKEN", null);

  // --- end HTTP hardening ---

  public static final List<ConfigKey> ALL =
      List.of(
          LISTEN,
          PUBLIC_URL,
          POLICIES,
          DATA_DIR,
          DATABASE_URL,
          DATABASE_PASSWORD_FILE,
          DATABASE_POOL_SIZE,
          DATABASE_STATEMENT_TIMEOUT,
          DATABASE_CONNECT_TIMEOUT,
          DATABASE_TCP_KEEPALIVE,
          SIGNING_KEYS,
          TRUSTED_PROXIES,
          SHUTDOWN_TIMEOUT,
          AUDIT_TIMEOUT,
          AUDIT_MAX_BATCH,
          AUDIT_RETENTION,
          AUDIT_CHECKPOINTS,
          AUDIT_CHECKPOINT_KEYS,
          AUDIT_CHECKPOINT_LEGACY_JWKS,
          AUDIT_SINKS,
          AWS_REGION,
          AWS_STS,
          AWS_IAM,
          AWS_BROKER_ROLE,
          AWS_REVOCATION_POLICIES,
          AWS_CLOUDTRAIL,
          AWS_SSO_ADMIN,
          AWS_IDENTITYSTORE,
          IdentityCenterKeys.START_URL,
          IdentityCenterKeys.REGION,
          ACTIVITY_LOOKUP_EVERY,
          ACTIVITY_SETTLE,
          ACTIVITY_REGIONS,
          ACTIVITY_INGEST_TOKEN,
          DirectoryKeys.SCIM_TOKEN,
          DirectoryKeys.ISSUER,
          DirectoryKeys.MATCH_CLAIM,
          FactsKeys.PAGERDUTY_URL,
          FactsKeys.PAGERDUTY_TOKEN,
          FactsKeys.JIRA_URL,
          FactsKeys.JIRA_TOKEN,
          FactsKeys.HTTP,
          FactsKeys.TIMEOUT,
          FactsKeys.RECHECK,
          AWS_SIGNIN,
          GCP_IAMCREDENTIALS,
          GCP_STS,
          AzureKeys.AUTHORITY,
          AzureKeys.MANAGEMENT,
          AzureKeys.ACTIVITY_TENANT,
          AzureKeys.ACTIVITY_CLIENT,
          AzureKeys.ACTIVITY_SUBSCRIPTIONS,
          SLACK_WEBHOOK,
          SlackKeys.BOT_TOKEN,
          SlackKeys.SIGNING_SECRET,
          SlackKeys.APP_TOKEN,
          SlackKeys.CHANNEL,
          SlackKeys.API_URL,
          SlackKeys.IDENTITY_MAX_AGE,
          SlackKeys.DM_APPROVERS,
          SlackKeys.EMAIL_LINK_WITHIN,
          SlackKeys.TEAM_ID,
          TEAMS_WEBHOOK,
          WEBHOOKS,
          REVIEW_TIMEOUT,
          OWN_REVOCATIONS_PER_ROLE,
          EXPIRY_REMINDER,
          OUTBOX_GIVE_UP_AFTER,
          OUTBOX_LEASE,
          WEB_SESSION_TTL,
          WEB_CLIENT_SECRET,
          HTTP_IDLE_TIMEOUT,
          HTTP_READ_TIMEOUT,
          HTTP_MAX_CONNECTIONS,
          HTTP_MAX_EVENT_STREAMS,
          HTTP_MAX_EVENT_STREAMS_PER_PERSON,
          HTTP_STREAM_RECHECK,
          METRICS_LISTEN,
          METRICS_TOKEN_FILE,
          METRICS_TOKEN);

  private ConfigKeys() {}

  private static ConfigKey scalar(String name, String env, String def) {
    return ConfigKey.scalar(name, env, def);
  }

  private static ConfigKey list(String name, String env) {
    return ConfigKey.list(name, env);
  }
}
