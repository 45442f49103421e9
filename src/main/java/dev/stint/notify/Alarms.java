package dev.stint.notify;

import dev.stint.audit.ChainVerifier;
import dev.stint.notify.slack.SlackApi;
import dev.stint.notify.slack.SlackText;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises the alarms that must reach people at once: the audit log no longer matches its
 * checkpoints, a revocation cannot be written to the cloud (its sessions still work), AWS keeps
 * refusing an Identity Center assignment or its end's deletion was found unqueued, a role of the
 * policy was assumed outside stint, or a call's event id arrived with other content than the copy
 * kept. Each goes to every configured webhook, the Slack webhook and the Slack app's channel. Not
 * through the outbox: an alarm about the database, or about a delivery the outbox could not make,
 * must not depend on it. Each receiver gets a few attempts a few seconds apart; the readiness
 * check, the metrics and the audit keep the condition whatever becomes of them.
 */
public final class Alarms implements Consumer<ChainVerifier.Result> {
  private static final Logger LOG = LoggerFactory.getLogger(Alarms.class);
  private static final int ATTEMPTS = 3;
  private static final long RETRY_MS = 5_000;

  private final Vertx vertx;
  private final WebhookNotifier notifier;
  private final Optional<SlackChannel> slack;
  private final Clock clock;
  private final OutsideRuns outside;

  /** How long the assumptions of a role by one caller outside stint are counted before told. */
  public static final Duration OUTSIDE_WINDOW = Duration.ofMinutes(15);

  /** The Slack app's channel, where request messages go. */
  public record SlackChannel(SlackApi api, String channel) {}

  public Alarms(Vertx vertx, WebhookNotifier notifier, Optional<SlackChannel> slack, Clock clock) {
    this(vertx, notifier, slack, clock, OUTSIDE_WINDOW);
  }

  /** {@code outsideWindow}: how long assumptions outside stint are counted before told. */
  public Alarms(
      Vertx vertx,
      WebhookNotifier notifier,
      Optional<SlackChannel> slack,
      Clock clock,
      Duration outsideWindow) {
    this.vertx = vertx;
    this.notifier = notifier;
    this.slack = slack;
    this.clock = clock;
    this.outside =
        new OutsideRuns(
            vertx,
            outsideWindow,
            clock,
            new OutsideRuns.Tell() {
              @Override
              public void first(String role, String caller, Map<String, Object> details) {
                tellOutside(role, caller, details);
              }

              @Override
              public void more(String role, String caller, int count, Instant since, Instant to) {
                tellMoreOutside(role, caller, count, since, to);
              }
            });
  }

  /** A revocation that cannot be written: the grant's sessions keep working until it is. */
  public void revocationFailed(String grantId, String requestId, String why) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("event", "grant.revocation_failed");
    body.put("occurred_at", clock.instant().toString());
    body.put("grant_id", grantId);
    body.put("request_id", requestId);
    body.put("problem", why);
    raise(
        body,
        ":rotating_light: stint: the revocation of grant "
            + SlackText.escape(grantId)
            + " (request "
            + SlackText.escape(requestId)
            + ") cannot be written to AWS: "
            + SlackText.escape(why)
            + ". Its sessions keep working until it is. Fix the cause, then"
            + " `stint admin outbox` retries it.");
  }

  /**
   * AWS keeps refusing a grant's account assignment's {@code stage} ({@code creation} or {@code
   * deletion}): a deletion refused leaves the person the permission set in the account until it is
   * fixed (the outbox keeps trying it).
   */
  public void assignmentRefused(String grantId, String requestId, String stage, String why) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("event", "assignment.refused");
    body.put("occurred_at", clock.instant().toString());
    body.put("grant_id", grantId);
    body.put("request_id", requestId);
    body.put("stage", stage);
    body.put("problem", why);
    boolean deletion = "deletion".equals(stage);
    raise(
        body,
        ":rotating_light: stint: AWS refuses the "
            + SlackText.escape(stage)
            + " of grant "
            + SlackText.escape(grantId)
            + "'s IAM Identity Center account assignment (request "
            + SlackText.escape(requestId)
            + "): "
            + SlackText.escape(why)
            + (deletion
                ? ". The person keeps the permission set in the account until it is deleted;"
                    + " stint keeps trying. Fix stint's AWS permissions (docs/clouds.md)."
                : ". Fix stint's AWS permissions or the profile (docs/clouds.md)."));
  }

  /**
   * A grant had ended with its assignment still held and its deletion never queued (its end's
   * outbox row lost): stint has queued it now.
   */
  public void assignmentEndRestored(String grantId, String requestId) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("event", "assignment.deletion_restored");
    body.put("occurred_at", clock.instant().toString());
    body.put("grant_id", grantId);
    body.put("request_id", requestId);
    raise(
        body,
        ":warning: stint: grant "
            + SlackText.escape(grantId)
            + " (request "
            + SlackText.escape(requestId)
            + ") had ended with its IAM Identity Center account assignment still in place and"
            + " no deletion queued; stint has queued it now. Check that every replica runs the"
            + " same release and configuration: see the audit (assignment.deletion_restored).");
  }

  /**
   * A revocation widened a role's deny to a cutoff, cutting {@code others} other live sessions:
   * rare by design, so a run of them on one role may be someone filling it on purpose.
   */
  public void revocationWidened(String grantId, String role, long others) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("event", "grant.revocation_widened");
    body.put("occurred_at", clock.instant().toString());
    body.put("grant_id", grantId);
    body.put("role", role);
    body.put("cut_credentials", others);
    raise(
        body,
        ":warning: stint: revoking grant "
            + SlackText.escape(grantId)
            + " did not fit"
            + " IAM's limit on role "
            + SlackText.escape(role)
            + ", so every stint session of the role"
            + " issued before it was denied; "
            + others
            + " other live session(s) were cut and their"
            + " holders told. Many of these on one role may mean someone is filling it with"
            + " revocations on purpose: see the audit (grant.revocation_widened).");
  }

  /**
   * A role of the policy assumed in a session stint did not mint: someone reached the role around
   * the approval. {@code details} are the audit event's ({@code role.assumed_outside}). The first
   * of a run by one caller is told at once; the rest are counted and told once a window ({@link
   * OutsideRuns}).
   */
  public void roleAssumedOutside(String role, String caller, Map<String, Object> details) {
    outside.assumed(role, OutsideRuns.principal(caller), caller, details);
  }

  /**
   * A call's event id arrived again with other content than the copy kept ({@code details} are the
   * audit event's, {@code activity.event_conflicted}): one of the copies is not the cloud's, and
   * whoever holds the CloudTrail ingest's token may be hiding a call.
   */
  public void eventConflicted(String eventId, Map<String, Object> details) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("event", "activity.event_conflicted");
    body.put("occurred_at", clock.instant().toString());
    body.putAll(details);
    raise(
        body,
        ":rotating_light: stint: CloudTrail event "
            + SlackText.escape(eventId)
            + " arrived again with another "
            + SlackText.escape(String.valueOf(details.get("differing")))
            + " than the copy stint kept, which stays. One of them is not CloudTrail's: the"
            + " CloudTrail ingest's token may be in the wrong hands. See the audit"
            + " (activity.event_conflicted).");
  }

  private void tellOutside(String role, String caller, Map<String, Object> details) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("event", "role.assumed_outside");
    body.put("occurred_at", clock.instant().toString());
    body.putAll(details);
    raise(
        body,
        ":rotating_light: stint: role "
            + SlackText.escape(role)
            + " was assumed outside stint by "
            // The caller's ARN is CloudTrail's, but a role session's name is the caller's choice.
            + SlackText.escape(caller)
            + " from "
            + SlackText.escape(
                String.valueOf(details.getOrDefault("source_ip", "an unknown address")))
            + " (CloudTrail event "
            + SlackText.escape(String.valueOf(details.get("event_id")))
            + "). Nobody asked stint for it: see the audit (role.assumed_outside).");
  }

  private void tellMoreOutside(
      String role, String principal, int count, Instant since, Instant until) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("event", "role.assumed_outside");
    body.put("occurred_at", clock.instant().toString());
    body.put("role", role);
    body.put("caller", principal);
    body.put("more_assumptions", count);
    body.put("since", since.toString());
    body.put("until", until.toString());
    raise(
        body,
        ":rotating_light: stint: role "
            + SlackText.escape(role)
            + " was assumed outside stint "
            + count
            + " more time(s) by "
            + SlackText.escape(principal)
            + " from "
            + since
            + " to "
            + until
            + ". Each is in the audit (role.assumed_outside).");
  }

  @Override
  public void accept(ChainVerifier.Result broken) {
    long seq = broken.brokenSeq().orElse(0L);
    String layer = broken.layer().orElse(ChainVerifier.CHAIN);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("event", "audit.tamper_detected");
    body.put("occurred_at", clock.instant().toString());
    body.put("broken_seq", seq);
    body.put("layer", layer);
    body.put("problem", broken.problem().orElse(""));
    String text =
        ":rotating_light: stint: the audit log was tampered with. The first bad event is"
            + " seq "
            + seq
            + ", caught by the "
            + SlackText.escape(layer)
            + " layer: "
            // The problem can quote what the database holds (a key id): whoever tampered wrote it.
            + SlackText.escape(broken.problem().orElse(""))
            + ". Run `stint audit verify --checkpoints` against your anchors.";
    raise(body, text);
  }

  private void raise(Map<String, Object> body, String text) {
    long id = clock.millis();
    notifier.targets().forEach(t -> send(t, body, text, id, 1));
    slack.ifPresent(s -> post(s, text, 1));
  }

  private void post(SlackChannel s, String text, int attempt) {
    String blocks =
        new JsonArray()
            .add(
                new JsonObject()
                    .put("type", "section")
                    .put(
                        "text",
                        new JsonObject()
                            .put("type", "mrkdwn")
                            .put("text", text)
                            .put("verbatim", true)))
            .encode();
    s.api()
        .post(s.channel(), text, blocks)
        .onFailure(
            e -> {
              LOG.error(
                  "alarm to the Slack channel failed (attempt {}): {}", attempt, e.getMessage());
              if (attempt < ATTEMPTS) {
                vertx.setTimer(RETRY_MS, t -> post(s, text, attempt + 1));
              }
            });
  }

  private void send(
      WebhookNotifier.Target target, Map<String, Object> body, String text, long id, int attempt) {
    Future<Void> sent = notifier.alarm(target, body, text, id);
    sent.onFailure(
        e -> {
          LOG.error("alarm to {} failed (attempt {}): {}", target, attempt, e.getMessage());
          if (attempt < ATTEMPTS) {
            vertx.setTimer(RETRY_MS, t -> send(target, body, text, id, attempt + 1));
          }
        });
  }
}
