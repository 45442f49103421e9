package dev.stint.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.common.Durations;
import dev.stint.common.SecureUrls;
import dev.stint.common.SourceNetworks;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads and validates the server configuration once, at boot. Every problem is collected and
 * reported together; a message names the key, where it was set, and what was expected.
 */
public final class ConfigLoader {
  private static final Pattern HOST_PORT =
      Pattern.compile("^(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.-]+):(\\d{1,5})$");

  private final ConfigSource source;
  private final Map<String, String> env;
  private final List<String> problems = new ArrayList<>();

  private ConfigLoader(ConfigSource source, Map<String, String> env) {
    this.source = source;
    this.env = env;
    problems.addAll(source.problems());
  }

  /** Loads the file (when given) overlaid with the environment; throws with every problem. */
  public static StintConfig load(Optional<Path> file, Map<String, String> env) {
    return new ConfigLoader(ConfigSource.read(file, env), env).bind();
  }

  private StintConfig bind() {
    var config =
        new StintConfig(
            scalar(ConfigKeys.LISTEN, ConfigLoader::hostPort),
            scalar(ConfigKeys.PUBLIC_URL, ConfigLoader::httpUrl),
            scalar(ConfigKeys.POLICIES, Path::of),
            scalar(ConfigKeys.DATA_DIR, Path::of),
            database(),
            paths(ConfigKeys.SIGNING_KEYS),
            networks(ConfigKeys.TRUSTED_PROXIES),
            scalar(ConfigKeys.SHUTDOWN_TIMEOUT, Durations::parse),
            new StintConfig.AuditConfig(
                scalar(ConfigKeys.AUDIT_TIMEOUT, ConfigLoader::auditTimeout),
                scalar(ConfigKeys.AUDIT_MAX_BATCH, s -> intInRange(s, 1, 10_000)),
                source
                    .get(ConfigKeys.AUDIT_CHECKPOINTS)
                    .flatMap(
                        v ->
                            CheckpointKeys.bind(
                                v.node(), ConfigKeys.AUDIT_CHECKPOINTS.name(), problems)),
                source
                    .get(ConfigKeys.AUDIT_SINKS)
                    .map(v -> SinkKeys.bind(v.node(), ConfigKeys.AUDIT_SINKS.name(), env, problems))
                    .orElse(List.of()),
                optional(ConfigKeys.AUDIT_RETENTION, CheckpointKeys::auditRetention),
                new StintConfig.CheckpointKeyFiles(
                    paths(ConfigKeys.AUDIT_CHECKPOINT_KEYS),
                    optional(ConfigKeys.AUDIT_CHECKPOINT_LEGACY_JWKS, Path::of))),
            clouds(),
            new StintConfig.NotifyConfig(
                optional(ConfigKeys.SLACK_WEBHOOK, ConfigLoader::httpUrl),
                webhooks(),
                slack(),
                optional(ConfigKeys.TEAMS_WEBHOOK, TeamsKeys::webhook)),
            access(),
            new StintConfig.WebUiConfig(
                scalar(ConfigKeys.WEB_SESSION_TTL, ConfigLoader::sessionTtl),
                optional(ConfigKeys.WEB_CLIENT_SECRET, ConfigLoader::secret)),
            http(),
            metrics(),
            activity(),
            facts(),
            new StintConfig.DirectoryConfig(
                optional(ConfigKeys.DIRECTORY_SCIM_TOKEN, ActivityKeys::bearerToken),
                optional(ConfigKeys.DIRECTORY_ISSUER, ConfigLoader::issuerName),
                scalar(ConfigKeys.DIRECTORY_MATCH_CLAIM, ConfigLoader::matchClaim)));
    CheckpointKeys.retentionNeedsAStore(config.audit(), problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return config;
  }

  /**
   * Where the clouds' APIs are (each endpoint override, or the SDK's own default), the AWS region
   * and the AWS broker role.
   */
  private StintConfig.CloudEndpoints clouds() {
    return new StintConfig.CloudEndpoints(
        optional(ConfigKeys.AWS_REGION, ConfigLoader::awsRegion),
        optional(ConfigKeys.AWS_STS, ConfigLoader::httpUrl),
        optional(ConfigKeys.AWS_IAM, ConfigLoader::httpUrl),
        optional(ConfigKeys.AWS_SIGNIN, ConfigLoader::httpUrl),
        optional(ConfigKeys.AWS_CLOUDTRAIL, ConfigLoader::httpUrl),
        optional(ConfigKeys.AWS_BROKER_ROLE, ConfigLoader::awsRoleName),
        optional(ConfigKeys.GCP_IAMCREDENTIALS, ConfigLoader::httpUrl),
        optional(ConfigKeys.GCP_STS, ConfigLoader::httpsUrl),
        optional(ConfigKeys.AZURE_AUTHORITY, ConfigLoader::httpsUrl),
        scalar(ConfigKeys.AZURE_MANAGEMENT, AzureKeys::managementEndpoint),
        scalar(ConfigKeys.AWS_REVOCATION_POLICIES, s -> intInRange(s, 0, 20)));
  }

  /** Requests' review and reminder times, and the outbox's retries and leases. */
  private StintConfig.AccessConfig access() {
    return new StintConfig.AccessConfig(
        scalar(ConfigKeys.REVIEW_TIMEOUT, Durations::parse),
        scalar(ConfigKeys.EXPIRY_REMINDER, Durations::parse),
        scalar(ConfigKeys.OUTBOX_GIVE_UP_AFTER, Durations::parse),
        scalar(ConfigKeys.OUTBOX_LEASE, ConfigLoader::outboxLease),
        scalar(ConfigKeys.OWN_REVOCATIONS_PER_ROLE, s -> intInRange(s, 1, 100_000)));
  }

  /**
   * The database and the deadlines on it. A statement may take up to a minute (a caller waits that
   * long at worst); keepalive probes start after at most two hours idle (the Linux default).
   */
  private StintConfig.DatabaseConfig database() {
    return new StintConfig.DatabaseConfig(
        databaseUrl(),
        scalar(ConfigKeys.DATABASE_POOL_SIZE, s -> intInRange(s, 1, 200)),
        scalar(ConfigKeys.DATABASE_STATEMENT_TIMEOUT, s -> durationInRange(s, "1s", "1m")),
        scalar(ConfigKeys.DATABASE_CONNECT_TIMEOUT, s -> durationInRange(s, "1s", "1m")),
        scalar(ConfigKeys.DATABASE_TCP_KEEPALIVE, s -> durationInRange(s, "1s", "2h")));
  }

  /** The URL, with its password from {@code database.password_file} when that is set. */
  private Optional<DatabaseUrl> databaseUrl() {
    return DatabaseKeys.bind(
        optional(ConfigKeys.DATABASE_URL, DatabaseUrl::parse),
        optional(ConfigKeys.DATABASE_PASSWORD_FILE, DatabaseKeys::readPassword),
        source.get(ConfigKeys.DATABASE_PASSWORD_FILE).isPresent(),
        problems);
  }

  /** Every Slack key is checked; the rules that tie them together live in {@link SlackKeys}. */
  private Optional<StintConfig.SlackApp> slack() {
    return SlackKeys.bind(
        optional(ConfigKeys.SLACK_BOT_TOKEN, SlackKeys::botToken),
        optional(ConfigKeys.SLACK_SIGNING_SECRET, SlackKeys::signingSecret),
        optional(ConfigKeys.SLACK_APP_TOKEN, SlackKeys::appToken),
        optional(ConfigKeys.SLACK_CHANNEL, SlackKeys::channel),
        scalar(ConfigKeys.SLACK_API_URL, SlackKeys::apiUrl),
        scalar(ConfigKeys.SLACK_IDENTITY_MAX_AGE, SlackKeys::identityMaxAge),
        scalar(ConfigKeys.SLACK_DM_APPROVERS, SlackKeys::flag),
        optional(ConfigKeys.SLACK_EMAIL_LINK_WITHIN, SlackKeys::emailLinkWithin),
        optional(ConfigKeys.SLACK_TEAM_ID, SlackKeys::teamId),
        problems);
  }

  // --- HTTP hardening (issue 20) ---
  private StintConfig.HttpConfig http() {
    return new StintConfig.HttpConfig(
        scalar(ConfigKeys.HTTP_IDLE_TIMEOUT, s -> durationInRange(s, "1s", "1h")),
        scalar(ConfigKeys.HTTP_READ_TIMEOUT, s -> durationInRange(s, "1s", "5m")),
        scalar(ConfigKeys.HTTP_MAX_CONNECTIONS, s -> intInRange(s, 1, 1_000_000)),
        scalar(ConfigKeys.HTTP_MAX_EVENT_STREAMS, s -> intInRange(s, 1, 100_000)),
        scalar(ConfigKeys.HTTP_MAX_EVENT_STREAMS_PER_PERSON, s -> intInRange(s, 1, 1_000)),
        scalar(ConfigKeys.HTTP_STREAM_RECHECK, s -> durationInRange(s, "1s", "1m")));
  }

  /** The token comes inline (env) or from a file; both at once is ambiguous and refused. */
  private StintConfig.MetricsConfig metrics() {
    Optional<String> inline = optional(ConfigKeys.METRICS_TOKEN, ConfigLoader::metricsToken);
    Optional<String> fromFile = optional(ConfigKeys.METRICS_TOKEN_FILE, ConfigLoader::tokenFile);
    if (inline.isPresent() && fromFile.isPresent()) {
      problems.add(
          ConfigKeys.METRICS_TOKEN.name()
              + " and "
              + ConfigKeys.METRICS_TOKEN_FILE.name()
              + " are both set; set one");
    }
    return new StintConfig.MetricsConfig(
        optional(ConfigKeys.METRICS_LISTEN, ConfigLoader::hostPort), inline.or(() -> fromFile));
  }

  /** Short tokens can be guessed by a scraper on the network; the token is never echoed. */
  static String metricsToken(String s) {
    String t = s.strip();
    if (t.length() < 16 || !t.chars().allMatch(c -> c > 32 && c < 127)) {
      throw new IllegalArgumentException(
          "must be at least 16 printable characters without spaces (the value is not shown)");
    }
    return t;
  }

  private static String tokenFile(String path) {
    String text;
    try {
      text = Files.readString(Path.of(path));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("cannot read the token file '" + path + "'");
    }
    try {
      return metricsToken(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the token in '" + path + "' " + e.getMessage());
    }
  }

  private static Duration durationInRange(String s, String min, String max) {
    Duration d = Durations.parse(s);
    if (d.compareTo(Durations.parse(min)) < 0 || d.compareTo(Durations.parse(max)) > 0) {
      throw new IllegalArgumentException(
          "must be between " + min + " and " + max + ", got '" + s + "'");
    }
    return d;
  }

  // --- end HTTP hardening ---

  private <T> T scalar(ConfigKeys.Key key, Function<String, T> parse) {
    Optional<T> value = optional(key, parse);
    if (value.isPresent()) {
      return value.get();
    }
    // A key with a default always parses its default; a bad default is a bug, so fail loudly.
    return key.defaultValue().map(parse).orElse(null);
  }

  private <T> Optional<T> optional(ConfigKeys.Key key, Function<String, T> parse) {
    Optional<ConfigSource.Value> value = source.get(key);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    JsonNode node = value.get().node();
    if (!node.isValueNode() || node.isNull()) {
      problem(key, value.get(), "expected a single value");
      return Optional.empty();
    }
    try {
      return Optional.of(parse.apply(node.asText()));
    } catch (IllegalArgumentException e) {
      problem(key, value.get(), e.getMessage());
      return Optional.empty();
    }
  }

  /** Activity per grant; the regions default to aws.region and us-east-1. */
  private StintConfig.ActivityConfig activity() {
    Optional<ConfigSource.Value> regions = source.get(ConfigKeys.ACTIVITY_REGIONS);
    List<String> awsRegions =
        regions
            .map(
                v -> {
                  try {
                    return ActivityKeys.regions(v.node());
                  } catch (IllegalArgumentException e) {
                    problem(ConfigKeys.ACTIVITY_REGIONS, v, e.getMessage());
                    return List.<String>of();
                  }
                })
            .orElseGet(
                () ->
                    ActivityKeys.defaultRegions(
                        optional(ConfigKeys.AWS_REGION, ConfigLoader::awsRegion)));
    return new StintConfig.ActivityConfig(
        scalar(ConfigKeys.ACTIVITY_LOOKUP_EVERY, ActivityKeys::lookupEvery),
        scalar(ConfigKeys.ACTIVITY_SETTLE, ActivityKeys::settle),
        awsRegions,
        optional(ConfigKeys.ACTIVITY_INGEST_TOKEN, ActivityKeys::bearerToken),
        AzureKeys.bind(
            optional(ConfigKeys.AZURE_ACTIVITY_TENANT, AzureKeys::tenant),
            optional(ConfigKeys.AZURE_ACTIVITY_CLIENT, AzureKeys::clientId),
            listOf(ConfigKeys.AZURE_ACTIVITY_SUBSCRIPTIONS, AzureKeys::subscriptions),
            present(
                ConfigKeys.AZURE_ACTIVITY_TENANT,
                ConfigKeys.AZURE_ACTIVITY_CLIENT,
                ConfigKeys.AZURE_ACTIVITY_SUBSCRIPTIONS),
            problems));
  }

  /** The names of those of {@code keys} that are set, whether or not they read. */
  private Set<String> present(ConfigKeys.Key... keys) {
    Set<String> out = new HashSet<>();
    for (ConfigKeys.Key key : keys) {
      if (source.get(key).isPresent()) {
        out.add(key.name());
      }
    }
    return out;
  }

  /** A list key read by {@code parse}; a problem when it does not read. */
  private <T> Optional<T> listOf(ConfigKeys.Key key, Function<JsonNode, T> parse) {
    Optional<ConfigSource.Value> value = source.get(key);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(parse.apply(value.get().node()));
    } catch (IllegalArgumentException e) {
      problem(key, value.get(), e.getMessage());
      return Optional.empty();
    }
  }

  /** The sources of policy facts, and how they are looked up. */
  private StintConfig.FactsConfig facts() {
    return new StintConfig.FactsConfig(
        factsEndpoint(ConfigKeys.FACTS_PAGERDUTY_URL, ConfigKeys.FACTS_PAGERDUTY_TOKEN),
        factsEndpoint(ConfigKeys.FACTS_JIRA_URL, ConfigKeys.FACTS_JIRA_TOKEN),
        FactsKeys.http(source.get(ConfigKeys.FACTS_HTTP), env, problems),
        scalar(ConfigKeys.FACTS_TIMEOUT, FactsKeys::timeout),
        scalar(ConfigKeys.FACTS_RECHECK, FactsKeys::recheck));
  }

  /** A source is its URL with its token; either one alone is refused, naming the one missing. */
  private Optional<StintConfig.FactsEndpoint> factsEndpoint(
      ConfigKeys.Key urlKey, ConfigKeys.Key tokenKey) {
    boolean urlSet = source.get(urlKey).isPresent();
    boolean tokenSet = source.get(tokenKey).isPresent();
    Optional<URI> url = optional(urlKey, FactsKeys::url);
    Optional<String> token = optional(tokenKey, FactsKeys::token);
    if (urlSet && !tokenSet) {
      problems.add(tokenKey.name() + " is required with " + urlKey.name());
    } else if (tokenSet && !urlSet) {
      problems.add(urlKey.name() + " is required with " + tokenKey.name());
    }
    if (url.isEmpty() || token.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new StintConfig.FactsEndpoint(url.get(), token.get()));
  }

  private List<Path> paths(ConfigKeys.Key key) {
    Optional<ConfigSource.Value> value = source.get(key);
    List<Path> out = new ArrayList<>();
    if (value.isEmpty()) {
      return out;
    }
    JsonNode node = value.get().node();
    if (!node.isArray()) {
      problem(key, value.get(), "expected a list of file paths");
      return out;
    }
    for (JsonNode item : node) {
      if (!item.isTextual() || item.asText().isBlank()) {
        problem(key, value.get(), "expected a list of file paths");
        return List.of();
      }
      out.add(Path.of(item.asText()));
    }
    return out;
  }

  /** A list of CIDRs, each checked (and written canonically) as a profile's source_cidrs are. */
  private List<String> networks(ConfigKeys.Key key) {
    Optional<ConfigSource.Value> value = source.get(key);
    if (value.isEmpty()) {
      return List.of();
    }
    JsonNode node = value.get().node();
    List<String> entries = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(item -> entries.add(item.isTextual() ? item.asText() : ""));
    }
    if (!node.isArray() || entries.contains("")) {
      problem(key, value.get(), "expected a list of CIDRs such as 10.0.0.0/8");
      return List.of();
    }
    try {
      return SourceNetworks.parse(entries).cidrs();
    } catch (IllegalArgumentException e) {
      problem(key, value.get(), e.getMessage());
      return List.of();
    }
  }

  private List<StintConfig.Webhook> webhooks() {
    ConfigKeys.Key key = ConfigKeys.WEBHOOKS;
    Optional<ConfigSource.Value> value = source.get(key);
    List<StintConfig.Webhook> out = new ArrayList<>();
    if (value.isEmpty()) {
      return out;
    }
    if (!value.get().node().isArray()) {
      problem(key, value.get(), "expected a list of {url, secret_env} entries");
      return out;
    }
    int i = 0;
    for (JsonNode item : value.get().node()) {
      String where = key.name() + "[" + i++ + "]";
      webhook(item, where, value.get().origin()).ifPresent(out::add);
    }
    return out;
  }

  private Optional<StintConfig.Webhook> webhook(JsonNode item, String where, String origin) {
    if (!item.isObject()) {
      problems.add(where + " (" + origin + "): expected {url, secret_env} or {url, secret}");
      return Optional.empty();
    }
    Iterator<String> names = item.fieldNames();
    while (names.hasNext()) {
      String n = names.next();
      if (!Set.of("url", "secret", "secret_env").contains(n)) {
        problems.add("unknown key '" + where + "." + n + "' in " + origin);
      }
    }
    URI url = null;
    try {
      url = httpUrl(item.path("url").asText(""));
    } catch (IllegalArgumentException e) {
      problems.add(where + ".url (" + origin + "): " + e.getMessage());
    }
    String secret = item.path("secret").asText("");
    String secretEnv = item.path("secret_env").asText("");
    if (!secretEnv.isEmpty()) {
      secret = env.getOrDefault(secretEnv, "");
      if (secret.isEmpty()) {
        problems.add(
            where
                + ".secret_env ("
                + origin
                + "): environment variable "
                + secretEnv
                + " is not set");
      }
    } else if (secret.length() < 16) {
      // Webhook receivers verify the HMAC; a short or missing secret makes it forgeable.
      problems.add(
          where
              + " ("
              + origin
              + "): a secret of at least 16 characters is required"
              + " (secret_env: NAME is preferred over an inline secret)");
    }
    return url == null ? Optional.empty() : Optional.of(new StintConfig.Webhook(url, secret));
  }

  private void problem(ConfigKeys.Key key, ConfigSource.Value value, String why) {
    problems.add(key.name() + " (" + value.origin() + "): " + why);
  }

  static StintConfig.HostPort hostPort(String s) {
    Matcher m = HOST_PORT.matcher(s.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "expected HOST:PORT such as 127.0.0.1:8080, got '" + s + "'");
    }
    int port = Integer.parseInt(m.group(2));
    if (port > 65_535) {
      throw new IllegalArgumentException("port " + port + " is out of range 0-65535");
    }
    String host = m.group(1);
    if (host.startsWith("[")) {
      host = host.substring(1, host.length() - 1);
    }
    return new StintConfig.HostPort(host, port);
  }

  /** Between five minutes and a week: shorter cannot finish a task, longer outlives groups. */
  static Duration sessionTtl(String s) {
    Duration d = Durations.parse(s);
    if (d.compareTo(Duration.ofMinutes(5)) < 0 || d.compareTo(Duration.ofDays(7)) > 0) {
      throw new IllegalArgumentException("must be between 5m and 7d");
    }
    return d;
  }

  /**
   * A policy issuer's name as policy files spell them (lowercase letters, digits, '-', '_'); that a
   * policy names it is checked when the directory is wired, since policies reload.
   */
  static String issuerName(String s) {
    String t = s.strip();
    if (!t.matches("[a-z0-9][a-z0-9_-]{0,62}")) {
      throw new IllegalArgumentException(
          "must be the name of an issuer as the policy's issuers: spell it, such as corp");
    }
    return t;
  }

  /**
   * Claims that do not name one person for good: a person may change them, the issuer may give them
   * to someone else, or they name a token, a tenant or an application rather than a person.
   * Matching a directory user by one of them would let the wrong person take the user.
   */
  private static final Set<String> NOT_A_PERSON =
      Set.of(
          "email",
          "email_verified",
          "preferred_username",
          "upn",
          "unique_name",
          "name",
          "given_name",
          "family_name",
          "nickname",
          "groups",
          "roles",
          "scp",
          "scope",
          "iss",
          "aud",
          "azp",
          "appid",
          "tid",
          "idp",
          "exp",
          "iat",
          "nbf",
          "jti",
          "nonce",
          "auth_time",
          "amr",
          "acr");

  /**
   * The claim a directory user's externalId is compared with: a plain claim name (no path, no
   * namespace URL), and one that names a person for good.
   */
  static String matchClaim(String s) {
    String t = s.strip();
    if (!t.matches("[A-Za-z_][A-Za-z0-9_]{0,63}")) {
      throw new IllegalArgumentException(
          "must be a plain claim name, letters, digits and _, such as sub (the default) or oid"
              + " (Entra ID)");
    }
    if (NOT_A_PERSON.contains(t)) {
      throw new IllegalArgumentException(
          "'"
              + t
              + "' does not name one person for good (a person may change it, or it names no"
              + " person): use sub, or oid for Entra ID");
    }
    return t;
  }

  /** A secret is never echoed back in a problem message. */
  static String secret(String s) {
    if (s.isBlank()) {
      throw new IllegalArgumentException("must not be empty");
    }
    return s;
  }

  /** The Google and Azure client libraries refuse anything but https for these endpoints. */
  static URI httpsUrl(String s) {
    URI uri = httpUrl(s);
    if (!"https".equals(uri.getScheme())) {
      throw new IllegalArgumentException("must be an https URL, got '" + s + "'");
    }
    return uri;
  }

  static URI httpUrl(String s) {
    URI uri;
    try {
      uri = new URI(s.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("expected an http(s) URL (the value is not repeated)");
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
        || uri.getHost() == null) {
      throw new IllegalArgumentException("expected an http(s) URL (the value is not repeated)");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      // A query is where such URLs carry their secret (?sig=, ?code=): never repeated.
      throw new IllegalArgumentException(
          "URL must not have a query or fragment: '" + SecureUrls.shown(uri) + "?…'");
    }
    String text = uri.toString();
    return URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
  }

  /**
   * An IAM role's name, optionally after its path ({@code stint/broker}): what follows {@code
   * role/} in its ARN, in each account. Not an ARN: the account differs from role to role.
   */
  static String awsRoleName(String s) {
    if (!s.matches("([\\w+=,.@-]+/)*[\\w+=,.@-]{1,64}") || s.length() > 512) {
      throw new IllegalArgumentException(
          "expected an IAM role name, optionally after its path (stint-broker, stint/broker),"
              + " not an ARN; got '"
              + s
              + "'");
    }
    return s;
  }

  static String awsRegion(String s) {
    if (!s.matches("[a-z]{2}(-[a-z]+)+-\\d")) {
      throw new IllegalArgumentException(
          "expected an AWS region such as eu-west-1, got '" + s + "'");
    }
    return s;
  }

  /**
   * Between one second and an hour: a shorter claim expires while an IAM call is still under way
   * (another replica then repeats it), a longer one holds a dead replica's rows back that long.
   */
  static Duration outboxLease(String s) {
    Duration d = Durations.parse(s);
    if (d.compareTo(Duration.ofSeconds(1)) < 0 || d.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("must be between 1s and 1h");
    }
    return d;
  }

  private static Duration auditTimeout(String s) {
    Duration d = Durations.parse(s);
    if (d.compareTo(Duration.ofMinutes(1)) > 0) {
      // Callers (and the credential they wait for) hang this long when the database is down.
      throw new IllegalArgumentException("audit timeout must be at most 1m, got '" + s + "'");
    }
    return d;
  }

  private static int intInRange(String s, int min, int max) {
    try {
      int n = Integer.parseInt(s.trim());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // reported below with the expected range
    }
    throw new IllegalArgumentException(
        "expected a whole number from " + min + " to " + max + ", got '" + s + "'");
  }
}
