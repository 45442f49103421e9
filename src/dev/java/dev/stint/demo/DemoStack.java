package dev.stint.demo;

import dev.stint.config.ConfigLoader;
import dev.stint.standin.JiraStandIn;
import dev.stint.standin.OidcProvider;
import dev.stint.standin.PagerDutyStandIn;
import dev.stint.standin.S3StandIn;
import dev.stint.standin.SigningKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Everything {@code stint demo} runs, on 127.0.0.1 only: the development IdP, a development CI
 * issuer (GitHub- and GitLab-shaped job tokens), the AWS stand-ins (STS, IAM, S3 with the demo
 * bucket, sign-in, CloudTrail, EventBridge pushing S3's data events to stint, and IAM Identity
 * Center's SSO Admin, identity store and access portal), a Slack stand-in with a page of its own,
 * PagerDuty and Jira stand-ins with pages of controls, and a real stint server with an embedded
 * Postgres in its {@link DemoHome}, a temporary directory or one kept across runs, configured with
 * the demo policy. The browser tests start the same stack. Closing stops all of it and deletes a
 * temporary home.
 */
public final class DemoStack implements AutoCloseable {
  private static final String AWS_KEY_PROPERTY = "aws.accessKeyId";
  private static final String AWS_SECRET_PROPERTY = "aws.secretAccessKey";

  /** The client id AWS's OIDC providers list for STS: the audience of stint's tokens. */
  private static final String STS_AUDIENCE = "sts.amazonaws.com";

  private final List<AutoCloseable> started = new ArrayList<>();
  private final DemoHome home;
  private boolean setAwsProperties;
  private DevIdp idp;
  private DevCiIssuer ciIssuer;
  private StsStandIn sts;
  private IamStandIn iam;
  private S3StandIn s3;
  private SigninStandIn signin;
  private SlackStandIn slack;
  private CloudTrailStandIn cloudTrail;
  private EventBridgePush eventBridge;
  private PagerDutyStandIn pagerDuty;
  private JiraStandIn jira;
  private Optional<DemoIdentityCenter> identityCenter = Optional.empty();

  /**
   * The account of the demo policy's roles: the stand-ins' home account, where stint's own made-up
   * key acts, so revocations and lookups reach them without a broker role.
   */
  static final String DEMO_ACCOUNT = SigningKeys.HOME_ACCOUNT;

  /** Where EventBridge's API destination posts CloudTrail's events to stint. */
  static final String INGEST_PATH = "/v1/ingest/cloudtrail";

  /** How late the demo's CloudTrail shows a call: short, so the tour shows it. */
  static final Duration CLOUDTRAIL_DELIVERY = Duration.ofSeconds(20);

  /** The demo policy's on-call schedule (demo-oncall), alice on call in it as the demo starts. */
  static final String SCHEDULE = "PDEMO01";

  /** alice's ticket, in progress as the demo starts; closing it ends her demo-oncall grant. */
  static final String TICKET = "DEMO-1";

  /** How often stint checks end_when: short, so a closed ticket ends the grant while one waits. */
  static final Duration FACTS_RECHECK = Duration.ofSeconds(10);

  private StintLauncher.Running server;
  private static final int FREE_PORT_TRIES = 3;

  private DemoStack(DemoHome home) {
    this.home = home;
  }

  /**
   * Starts the stack with the policy directory {@code shippedPolicies} (normally {@code
   * policies/demo}) and stint, started by {@code stint}, on {@code port} (0: a free one), in a
   * temporary directory.
   */
  public static DemoStack start(Path shippedPolicies, int port, StintLauncher stint)
      throws IOException {
    return start(shippedPolicies, port, stint, Optional.empty());
  }

  /** As above, with everything it writes kept in {@code keep}, when given, for the next run. */
  public static DemoStack start(
      Path shippedPolicies, int port, StintLauncher stint, Optional<Path> keep) throws IOException {
    DemoPolicies policies = new DemoPolicies(shippedPolicies);
    for (int attempt = 1; ; attempt++) {
      DemoStack stack =
          new DemoStack(keep.isPresent() ? DemoHome.kept(keep.get()) : DemoHome.temporary());
      try {
        stack.boot(policies, port == 0 ? freePort() : port, stint);
        return stack;
      } catch (IOException | RuntimeException e) {
        stack.close();
        if (port != 0 || attempt == FREE_PORT_TRIES || !portTaken(e)) {
          throw e;
        }
      }
    }
  }

  /** Whether the start failed because another process took the port between pick and listen. */
  private static boolean portTaken(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && t.getMessage().contains("Address already in use")) {
        return true;
      }
    }
    return false;
  }

  private void boot(DemoPolicies policies, int port, StintLauncher stint) throws IOException {
    URI publicUrl = URI.create("http://127.0.0.1:" + port);
    sts = remember(new StsStandIn(Clock.systemUTC()));
    iam = remember(new IamStandIn().signedBy(sts));
    for (String role : policies.awsRoleNames()) {
      iam.createRole(role).putRolePolicy(role, DemoBucket.POLICY_NAME, DemoBucket.POLICY);
    }
    // The resource a grant's keys read, judged by the roles' policies in the IAM stand-in.
    s3 = remember(new S3StandIn(sts::minted, DEMO_ACCOUNT, iam::documents, Clock.systemUTC()));
    DemoBucket.fill(s3);
    identityCenter = DemoIdentityCenter.start(policies.identityCenter(), iam, sts);
    identityCenter.ifPresent(this::remember);
    signin = remember(new SigninStandIn());
    issuers(policies, publicUrl);
    Path policyDir = home.dir().resolve("policies");
    policies.writeTo(policyDir, idp.issuer().toString(), ciIssuer.uri().toString());
    useStandInAwsCredentials();
    // The demo's Slack: a bot token and an app-level token of its own, made up for this run; clicks
    // come over Socket Mode, as for a stint that Slack cannot reach.
    String slackToken = "xoxb-demo-" + UUID.randomUUID();
    String slackAppToken = "xapp-demo-" + UUID.randomUUID();
    slack = remember(new SlackStandIn(slackToken, slackAppToken));
    Map<String, String> env = new HashMap<>();
    env.put("STINT_LISTEN", "127.0.0.1:" + port);
    env.put("STINT_PUBLIC_URL", publicUrl.toString());
    env.put("STINT_POLICIES", policyDir.toString());
    env.put("STINT_DATA_DIR", home.dir().resolve("data").toString());
    env.put("STINT_SHUTDOWN_TIMEOUT", "5s");
    env.put("STINT_AWS_REGION", "us-east-1");
    env.put("STINT_AWS_STS_ENDPOINT", sts.uri().toString());
    env.put("STINT_AWS_IAM_ENDPOINT", iam.uri().toString());
    env.put("STINT_AWS_SIGNIN_ENDPOINT", signin.uri().toString());
    identityCenter.ifPresent(ic -> ic.configure(env));
    env.put("STINT_SLACK_BOT_TOKEN", slackToken);
    env.put("STINT_SLACK_APP_TOKEN", slackAppToken);
    env.put("STINT_SLACK_CHANNEL", SlackStandIn.CHANNEL);
    env.put("STINT_SLACK_API_URL", slack.apiUrl().toString());
    env.put("STINT_SLACK_DM_APPROVERS", "true");
    // Demo people's emails come from the development IdP, which verifies nothing: fine here only.
    env.put("STINT_SLACK_EMAIL_LINK_WITHIN", "8h");
    env.put("STINT_SLACK_TEAM_ID", SlackStandIn.TEAM);
    cloudTrail(env);
    pushDataEvents(env, publicUrl);
    facts(env);
    server = remember(stint.start(ConfigLoader.load(Optional.empty(), env)));
    // The demo account's IAM OIDC provider for stint's own issuer, as an operator creates it for
    // web_identity: its keys are stint's, so it can be made only once stint serves them.
    sts.trust(OidcProvider.discover(publicUrl.toString(), STS_AUDIENCE));
  }

  /**
   * The development IdP, and the CI platforms' issuers (a trust apart from the people's IdP), each
   * on the port a kept home remembers, which they keep for the next run.
   */
  private void issuers(DemoPolicies policies, URI publicUrl) throws IOException {
    int idpPort = home.port(DemoHome.IDP);
    int ciPort = home.port(DemoHome.CI_ISSUER);
    try {
      idp =
          remember(
              new DevIdp(
                  DevClient.web(policies.webClientId(), publicUrl.resolve("/ui/callback")),
                  DevClient.nativeApp(policies.cliClientId()),
                  policies.audience(),
                  Clock.systemUTC(),
                  idpPort));
    } catch (UncheckedIOException e) {
      throw idpPort == 0
          ? e
          : new IllegalStateException(home.portTaken("the development IdP", idpPort));
    }
    try {
      ciIssuer = remember(new DevCiIssuer(Clock.systemUTC(), ciPort));
    } catch (UncheckedIOException e) {
      throw ciPort == 0
          ? e
          : new IllegalStateException(home.portTaken("the development CI issuer", ciPort));
    }
    home.remember(DemoHome.IDP, idp.issuer().getPort());
    home.remember(DemoHome.CI_ISSUER, ciIssuer.uri().getPort());
  }

  /**
   * The demo's CloudTrail: the STS stand-in logs each session's calls there, soon (a real trail
   * takes minutes), and stint looks them up every minute with its own made-up identity.
   */
  private void cloudTrail(Map<String, String> env) {
    cloudTrail =
        remember(
            new CloudTrailStandIn(Clock.systemUTC(), CLOUDTRAIL_DELIVERY)
                .allow(
                    System.getProperty(AWS_KEY_PROPERTY),
                    System.getProperty(AWS_SECRET_PROPERTY),
                    DEMO_ACCOUNT));
    sts.logTo(cloudTrail);
    env.put("STINT_AWS_CLOUDTRAIL_ENDPOINT", cloudTrail.uri().toString());
    env.put("STINT_ACTIVITY_LOOKUP_EVERY", "1m");
    env.put("STINT_ACTIVITY_SETTLE", "1m");
  }

  /**
   * The demo's trail of S3 calls, pushed as EventBridge pushes a trail's events to stint: data
   * events (reading the buckets), which CloudTrail's event history never holds, reach stint only
   * this way, with a token made up for this run (never printed); {@code ListBuckets}, a management
   * event, goes to the CloudTrail stand-in's history, where stint looks it up. A session's {@code
   * iam:CreateAccessKey} goes to both, as a write management event does.
   */
  private void pushDataEvents(Map<String, String> env, URI publicUrl) {
    String token = "demo-ingest-" + UUID.randomUUID() + UUID.randomUUID();
    eventBridge = new EventBridgePush(publicUrl.resolve(INGEST_PATH), token);
    s3.logTo(
        (account, event) -> {
          if (event.data()) {
            eventBridge.push(account, event);
          } else {
            cloudTrail.record(account, event);
          }
        });
    // A session's write to IAM (an agent's iam:CreateAccessKey) is a management event: in the
    // event history, and pushed to stint too, as EventBridge delivers CloudTrail's write events.
    iam.sessionCalls(
        sts::minted,
        (account, event) -> {
          cloudTrail.record(account, event);
          eventBridge.push(account, event);
        });
    env.put("STINT_ACTIVITY_INGEST_TOKEN", token);
  }

  /**
   * The demo's PagerDuty and Jira, each with a token made up for this run that only stint is given
   * (never printed), seeded so that alice is on call with a ticket of her own in progress, and each
   * with its page of controls, where the person running the demo changes both.
   */
  private void facts(Map<String, String> env) {
    DevUser alice = DevUser.named("alice").orElseThrow();
    String pagerDutyToken = "pd-demo-" + UUID.randomUUID();
    String jiraToken = "jira-demo-" + UUID.randomUUID();
    pagerDuty = remember(new PagerDutyStandIn(pagerDutyToken));
    pagerDuty.onCall(SCHEDULE, alice.email());
    pagerDuty.openControls(new OnCallDemoPage(pagerDuty)::answer);
    jira = remember(new JiraStandIn(jiraToken));
    jira.issues().ticket(TICKET, "In Progress", "indeterminate", alice.email(), "DEMO");
    jira.openControls(new TicketDemoPage(jira)::answer);
    env.put("STINT_FACTS_PAGERDUTY_URL", pagerDuty.uri().toString());
    env.put("STINT_FACTS_PAGERDUTY_TOKEN", pagerDutyToken);
    env.put("STINT_FACTS_JIRA_URL", jira.uri().toString());
    env.put("STINT_FACTS_JIRA_TOKEN", jiraToken);
    env.put("STINT_FACTS_RECHECK", FACTS_RECHECK.toSeconds() + "s");
  }

  /**
   * stint's IAM client (revocations) signs its calls with stint's own AWS identity, from the SDK's
   * default chain. The demo has none, and its calls only reach the IAM stand-in, so a made-up key
   * is set for this JVM unless one is already configured; close() removes it.
   */
  private void useStandInAwsCredentials() {
    if (System.getProperty(AWS_KEY_PROPERTY) == null
        && System.getProperty(AWS_SECRET_PROPERTY) == null) {
      System.setProperty(AWS_KEY_PROPERTY, "AKIADEMOSTANDIN00000");
      System.setProperty(AWS_SECRET_PROPERTY, "demo-stand-in-secret-not-an-aws-key-000000");
      setAwsProperties = true;
    }
  }

  private <T extends AutoCloseable> T remember(T resource) {
    started.add(resource);
    return resource;
  }

  /** The URL of the stint server (and its web pages under {@code /ui}). */
  public URI url() {
    return server.url();
  }

  public DevIdp idp() {
    return idp;
  }

  /** The demo's CI issuer: GitHub- and GitLab-shaped job tokens for the demo's CI rules. */
  public DevCiIssuer ciIssuer() {
    return ciIssuer;
  }

  /** What pushes the S3 stand-in's data events to stint, as EventBridge would. */
  EventBridgePush eventBridge() {
    return eventBridge;
  }

  /**
   * The outside services the demo stands in for, each answering and refusing as the real one does
   * (STS, CloudTrail, IAM, S3, the sign-in endpoint, Slack, PagerDuty, Jira).
   */
  public DemoStandIns standIns() {
    return new DemoStandIns(
        sts, cloudTrail, iam, s3, signin, slack, pagerDuty, jira, identityCenter);
  }

  /**
   * A directory of the demo's own, deleted on close unless kept: the CLI keeps the demo login
   * there.
   */
  public Path workDir() {
    return home.dir();
  }

  /** Whether {@link #workDir} stays for the next run ({@code --keep}). */
  public boolean kept() {
    return home.kept();
  }

  /**
   * The public URL must be known before the server starts (it is in the redirect URI registered at
   * the IdP), so "any port" is resolved here; another process could take it in between, and the
   * start is then tried again on another free port, a few times.
   */
  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        System.err.println(
            "stint demo: could not stop "
                + started.get(i).getClass().getSimpleName()
                + ": "
                + e.getMessage());
      }
    }
    if (setAwsProperties) {
      System.clearProperty(AWS_KEY_PROPERTY);
      System.clearProperty(AWS_SECRET_PROPERTY);
    }
    home.close();
  }
}
