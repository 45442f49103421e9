package dev.stint.standin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The SSO Admin stand-in's asynchronous requests, as AWS keeps them: each creation or deletion of
 * an account assignment answers {@code IN_PROGRESS} with a request id, stays in progress for as
 * many looks at its status as it was given, then has its outcome; creation requests are listed by
 * id, status and time ({@code ListAccountAssignmentCreationStatus}).
 */
final class SsoAdminRequests {
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

  private final Clock clock;
  private final Map<String, Job> jobs = new ConcurrentHashMap<>();

  SsoAdminRequests(Clock clock) {
    this.clock = clock;
  }

  /**
   * A request of {@code account}, {@code permissionSetArn} and {@code principalId} with its {@code
   * outcome} ({@code reason} when it failed), in progress for {@code looks} looks.
   */
  StandInReply start(
      boolean creation,
      String account,
      String permissionSetArn,
      String principalId,
      String outcome,
      String reason,
      int looks) {
    String id = UUID.randomUUID().toString();
    long now = clock.instant().getEpochSecond();
    Job job =
        new Job(creation, account, permissionSetArn, principalId, outcome, reason, looks, now);
    jobs.put(id, job);
    return JsonServer.json(
        new JsonObject().put(statusKey(creation), statusOf(id, job, "IN_PROGRESS")).encode());
  }

  /** AWS finishes every request still in progress, whether or not anyone looks. */
  void settle() {
    jobs.replaceAll((id, job) -> job.done());
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
