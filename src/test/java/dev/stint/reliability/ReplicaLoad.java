package dev.stint.reliability;

import dev.stint.reliability.ReplicaRig.Answer;
import dev.stint.testing.Patience;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Concurrent request stories against whichever replicas are alive. Each story: a request, a vote
 * from every approver at once through both replicas (one more vote than the approval needs),
 * credentials twice, then an extension asked and approved while the holder revokes, and one
 * credential call after the revoke answered (a story past its role's revocation budget only
 * extends). Calls to a replica that dies mid-call are counted as lost: their outcome is unknown to
 * the caller, which is what the checks afterwards tolerate.
 */
final class ReplicaLoad {
  /** A credential that reached the caller (a 2xx answer). */
  record Issued(String accessKeyId, String grantId, String requestId) {}

  /** One HTTP call to a replica; throws when the replica is gone mid-call. */
  private interface Call {
    Answer on(String replica) throws IOException, InterruptedException;
  }

  static final int REVOCATIONS_PER_ROLE = 80;
  private final ReplicaRig rig;
  private final ExecutorService stories;
  private final ExecutorService votes = Executors.newCachedThreadPool();
  private final Map<String, String> tokens = new ConcurrentHashMap<>();
  final List<Issued> issued = new CopyOnWriteArrayList<>();
  final List<String> requests = new CopyOnWriteArrayList<>();
  final List<String> revoked = new CopyOnWriteArrayList<>();

  /** Answers that break a promise on their own (a credential after the revoke answered). */
  final List<String> violations = new CopyOnWriteArrayList<>();

  final AtomicInteger completed = new AtomicInteger();
  final AtomicInteger lost = new AtomicInteger();
  final AtomicInteger extensionsApplied = new AtomicInteger();
  private final List<Future<?>> running = new ArrayList<>();

  /**
   * Revocations per profile. A role's deny policy holds about 125 revoked grants whose sessions may
   * still live (IAM's inline policy size, docs/clouds.md); past it the role's deny widens to a
   * cutoff that cuts every session on the role, which is not what this load is about. So each role
   * gets a budget, spent no faster than one revocation per spacing so that a long run revokes
   * throughout.
   */
  private static final class Budget {
    private final long spacingNanos;
    private int left = REVOCATIONS_PER_ROLE;
    private long next = System.nanoTime();

    Budget(Duration spacing) {
      this.spacingNanos = spacing.toNanos();
    }

    synchronized boolean take() {
      long now = System.nanoTime();
      if (left == 0 || now - next < 0) {
        return false;
      }
      left--;
      next = now + spacingNanos;
      return true;
    }
  }

  private final Map<String, Budget> revocations = new ConcurrentHashMap<>();

  /**
   * @param spacing the least time between two revocations on one role
   */
  ReplicaLoad(ReplicaRig rig, int parallel, Duration spacing) {
    this.rig = rig;
    this.stories = Executors.newFixedThreadPool(parallel);
    for (String profile : ReplicaPolicy.PROFILES) {
      revocations.put(profile, new Budget(spacing));
    }
  }

  /** Runs stories numbered from {@code first} while {@code more} holds. */
  void run(int first, int count, BooleanSupplier more) {
    for (int i = first; i < first + count; i++) {
      int story = i;
      running.add(
          stories.submit(
              () -> {
                if (more.getAsBoolean()) {
                  story(story);
                }
                return null;
              }));
    }
  }

  /** Waits for every story submitted so far; a story that threw fails the wait. */
  void await() throws Exception {
    for (Future<?> f : running) {
      f.get(Patience.minutes(10), TimeUnit.MILLISECONDS);
    }
  }

  void close() {
    stories.shutdownNow();
    votes.shutdownNow();
  }

  private void story(int i) throws Exception {
    String holder = "eng-" + i;
    String profile = ReplicaPolicy.PROFILES[i % ReplicaPolicy.PROFILES.length];
    Answer created =
        call(
            i,
            r ->
                rig.post(
                    r,
                    token(holder, "eng"),
                    "/v1/requests",
                    "{\"profile\":\""
                        + profile
                        + "\",\"duration_seconds\":1800,\"reason\":\"replica story "
                        + i
                        + "\"}"));
    if (created == null || created.status() != 201) {
      completed.incrementAndGet();
      return;
    }
    String id = created.body().get("id").asText();
    requests.add(id);
    everyone(i, "/v1/requests/" + id + "/approve");
    for (int j = 0; j < 2; j++) {
      Answer creds =
          call(
              i + j,
              r ->
                  rig.post(
                      r,
                      token(holder, "eng"),
                      "/v1/credentials",
                      "{\"profile\":\"" + profile + "\",\"duration_seconds\":900}"));
      if (creds != null && creds.status() == 200) {
        issued.add(
            new Issued(
                creds.body().get("access_key_id").asText(),
                creds.body().get("grant_id").asText(),
                id));
      }
    }
    // The budget says whether this grant is revoked; the extension is asked either way.
    Future<Answer> revoke =
        revocations.get(profile).take()
            ? votes.submit(
                () ->
                    call(
                        i + 1,
                        r ->
                            rig.post(
                                r, token(holder, "eng"), "/v1/requests/" + id + "/revoke", "{}")))
            : CompletableFuture.completedFuture(null);
    Answer ext =
        call(
            i,
            r ->
                rig.post(
                    r,
                    token(holder, "eng"),
                    "/v1/requests/" + id + "/extend",
                    "{\"duration_seconds\":600,\"reason\":\"still needed\"}"));
    if (ext != null && ext.status() == 201) {
      if ("pending".equals(ext.body().path("state").asText())) {
        everyone(i, "/v1/extensions/" + ext.body().get("id").asText() + "/approve");
      }
    }
    Answer revoked = revoke.get(Patience.minutes(2), TimeUnit.MILLISECONDS);
    if (revoked != null && revoked.status() == 200) {
      this.revoked.add(id);
      Answer after =
          call(
              i,
              r ->
                  rig.post(
                      r,
                      token(holder, "eng"),
                      "/v1/credentials",
                      "{\"profile\":\"" + profile + "\",\"duration_seconds\":900}"));
      if (after != null && after.status() == 200) {
        violations.add(
            "request " + id + " got a credential after its revoke answered: " + after.body());
      }
    }
    completed.incrementAndGet();
  }

  /** Every approver votes at once, alternating replicas, so one vote races the approval. */
  private void everyone(int i, String path) throws Exception {
    List<Future<Answer>> all = new ArrayList<>();
    for (int k = 0; k < ReplicaPolicy.APPROVERS.length; k++) {
      String approver = ReplicaPolicy.APPROVERS[k];
      int route = i + k;
      all.add(
          votes.submit(() -> call(route, r -> rig.post(r, token(approver, "sre"), path, "{}"))));
    }
    for (Future<Answer> vote : all) {
      Answer answer = vote.get(Patience.minutes(2), TimeUnit.MILLISECONDS);
      if (answer != null
          && answer.status() == 200
          && path.startsWith("/v1/extensions")
          && "approved".equals(answer.body().path("state").asText())) {
        extensionsApplied.incrementAndGet();
      }
    }
  }

  /** The call on replica {@code route} (mod the live ones); null when the replica died under it. */
  private Answer call(int route, Call call) throws InterruptedException {
    List<String> alive = rig.alive();
    if (alive.isEmpty()) {
      throw new IllegalStateException("no replica is alive");
    }
    String replica = alive.get(Math.floorMod(route, alive.size()));
    try {
      return call.on(replica);
    } catch (IOException gone) {
      lost.incrementAndGet();
      return null;
    }
  }

  private String token(String user, String group) {
    return tokens.computeIfAbsent(user, u -> rig.idp.token(u, group));
  }
}
