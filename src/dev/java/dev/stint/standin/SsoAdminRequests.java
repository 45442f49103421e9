package dev.stint.standin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The SSO Admin stand-in's asynchronous requests, as AWS keeps them: each creation or deletion of
 * an account assignment answers {@code IN_PROGRESS} with a request id, stays in progress for as
 * many looks at its status as it was given, then has its outcome; creation requests are listed by
 * id, status and time ({@code ListAccountAssignmentCreationStatus}). A deletion that succeeds is
 * told to its {@code deleted} hook once done, not when asked: AWS lists an assignment until then.
 */
public final class SsoAdminRequests {
  /** One asynchronous request, when it was made, and how many more looks it stays in progress. */
  private record Job(
      boolean creation,
      String account,
      String permissionSetArn,
      String principalId,
      String outcome,
      String reason,
      int looksLeft,
      long created) {
    Job looked() {
      return new Job(
          creation,
          account,
          permissionSetArn,
          principalId,
          outcome,
          reason,
          Math.max(0, looksLeft - 1),
          created);
    }

    Job done() {
      return new Job(creation, account, permissionSetArn, principalId, outcome, reason, 0, created);
    }

    String state() {
      return looksLeft > 0 ? "IN_PROGRESS" : outcome;
    }
  }

  /** The assignment a deletion removed. */
  record Deleted(String account, String permissionSetArn, String principalId) {}

  private final Clock clock;
  private final Consumer<Deleted> deleted;
  private final Map<String, Job> jobs = new ConcurrentHashMap<>();
  private volatile int pollsBeforeDone = 1;
  private volatile Optional<String> deletionFailure = Optional.empty();

  SsoAdminRequests(Clock clock, Consumer<Deleted> deleted) {
    this.clock = clock;
    this.deleted = deleted;
  }

  /** How many looks at a request's status answer {@code IN_PROGRESS} before its outcome. */
  public SsoAdminRequests pollsBeforeDone(int looks) {
    this.pollsBeforeDone = looks;
    return this;
  }

  /**
   * Deletions asked from now on end {@code FAILED} with {@code reason} (empty: they succeed again),
   * the assignment still there, as AWS reports a deletion it could not do.
   */
  public SsoAdminRequests failDeletions(Optional<String> reason) {
    this.deletionFailure = reason;
    return this;
  }

  Optional<String> deletionFailure() {
    return deletionFailure;
  }

  /**
   * A request of {@code account}, {@code permissionSetArn} and {@code principalId} with its {@code
   * outcome} ({@code reason} when it failed), in progress for as many looks as set now.
   */
  StandInReply start(
      boolean creation,
      String account,
      String permissionSetArn,
      String principalId,
      String outcome,
      String reason) {
    int looks = pollsBeforeDone;
    String id = UUID.randomUUID().toString();
    long now = clock.instant().getEpochSecond();
    Job job =
        new Job(creation, account, permissionSetArn, principalId, outcome, reason, looks, now);
    jobs.put(id, job);
    finish(job);
    return JsonServer.json(
        new JsonObject().put(statusKey(creation), statusOf(id, job, "IN_PROGRESS")).encode());
  }

  /** AWS finishes every request still in progress, whether or not anyone looks. */
  public SsoAdminRequests settle() {
    jobs.forEach(
        (id, job) -> {
          if (job.looksLeft() > 0) {
            jobs.put(id, job.done());
            finish(job.done());
          }
        });
    return this;
  }

  /** Told once, as {@code job} becomes done (a later look at it changes nothing). */
  private void finish(Job job) {
    if (!job.creation() && job.looksLeft() == 0 && "SUCCEEDED".equals(job.outcome())) {
      deleted.accept(new Deleted(job.account(), job.permissionSetArn(), job.principalId()));
    }
  }

  /** A look at a request's status ({@code Describe…Status}). */
  StandInReply status(String id, boolean creation) {
    Job job = id == null ? null : jobs.get(id);
    if (job == null || job.creation() != creation) {
      return id == null
          ? JsonRefusals.validation("requestId", null)
          : JsonRefusals.notFound("ACCOUNT_ASSIGNMENT_REQUEST", id);
    }
    Job looked = job.looked();
    jobs.put(id, looked);
    if (job.looksLeft() > 0) {
      finish(looked);
    }
    String state = job.state();
    return JsonServer.json(
        new JsonObject().put(statusKey(creation), statusOf(id, looked, state)).encode());
  }

  private JsonObject statusOf(String id, Job job, String state) {
    JsonObject status =
        new JsonObject()
            .put("Status", state)
            .put("RequestId", id)
            .put("TargetId", job.account())
            .put("TargetType", "AWS_ACCOUNT")
            .put("PermissionSetArn", job.permissionSetArn())
            .put("PrincipalType", "USER")
            .put("PrincipalId", job.principalId())
            .put("CreatedDate", job.created());
    if ("FAILED".equals(state)) {
      status.put("FailureReason", job.reason());
    }
    return status;
  }

  private static String statusKey(boolean creation) {
    return creation ? "AccountAssignmentCreationStatus" : "AccountAssignmentDeletionStatus";
  }

  /**
   * The instance's creation requests, oldest first, each as its id, status and time only (which
   * assignment a request makes is told by {@code DescribeAccountAssignmentCreationStatus}), those
   * of one status when {@code Filter} names it. Listing is not a look at a request's status.
   */
  StandInReply creations(JsonObject body) {
    Object filter = body.getValue("Filter");
    String status = filter instanceof JsonObject f ? f.getString("Status") : null;
    if (status != null && !Set.of("IN_PROGRESS", "FAILED", "SUCCEEDED").contains(status)) {
      return JsonRefusals.validation("filter.status", status);
    }
    int max = body.getInteger("MaxResults", 100);
    if (max < 1 || max > 100) {
      return JsonRefusals.validation("maxResults", Integer.toString(max));
    }
    int from = Integer.parseInt(body.getString("NextToken", "0"));
    List<JsonObject> all =
        jobs.entrySet().stream()
            .filter(e -> e.getValue().creation())
            .filter(e -> status == null || status.equals(e.getValue().state()))
            .sorted(
                (x, y) ->
                    x.getValue().created() != y.getValue().created()
                        ? Long.compare(x.getValue().created(), y.getValue().created())
                        : x.getKey().compareTo(y.getKey()))
            .map(
                e ->
                    new JsonObject()
                        .put("Status", e.getValue().state())
                        .put("RequestId", e.getKey())
                        .put("CreatedDate", e.getValue().created()))
            .toList();
    JsonObject out =
        new JsonObject()
            .put(
                "AccountAssignmentsCreationStatus",
                new JsonArray(all.stream().skip(from).limit(max).map(o -> (Object) o).toList()));
    if (from + max < all.size()) {
      out.put("NextToken", Integer.toString(from + max));
    }
    return JsonServer.json(out.encode());
  }

  /** Whether a creation of {@code a} is still in progress: AWS lists it only once made. */
  boolean creating(String account, String permissionSetArn, String principalId) {
    return jobs.values().stream()
        .anyMatch(
            j ->
                j.creation()
                    && j.looksLeft() > 0
                    && j.account().equals(account)
                    && j.permissionSetArn().equals(permissionSetArn)
                    && j.principalId().equals(principalId));
  }
}
