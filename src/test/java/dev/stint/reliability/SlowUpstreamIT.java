package dev.stint.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.testing.FakeSts.Failure;
import dev.stint.testing.IssuanceRig;
import dev.stint.testing.LoadDriver;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * STS failing or hanging: callers get a clear 503 {@code upstream_unavailable} within the SDK's
 * bounded call time (10 s per call including retries), every refusal is audited, and the hanging
 * calls (on the cloud pool) starve nothing else: health keeps answering promptly.
 */
class SlowUpstreamIT {
  /** The whole AWS call, retries included, is cut off here (AwsSettings.Calls.DEFAULT). */
  static final Duration CALL_BOUND = Duration.ofSeconds(10);

  static IssuanceRig rig;

  @BeforeAll
  static void start() {
    rig = IssuanceRig.start(false, Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    rig.close();
  }

  @AfterEach
  void reset() {
    rig.sts().reset();
  }

  HttpResponse<String> credentials() {
    return rig.server()
        .send(
            HttpRequest.newBuilder(rig.uri("/v1/credentials"))
                .header("Authorization", "Bearer " + rig.token("alice"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(IssuanceRig.BODY))
                .build());
  }

  @Test
  void aFailingStsIsAClear503AndAudited() throws Exception {
    assertThat(credentials().statusCode()).as("warm: grant and first issuance").isEqualTo(200);
    rig.sts().failAlways(Failure.SERVER_ERROR);
    long denied = rig.auditCount("credential.denied");
    HttpResponse<String> r = credentials();
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body())
        .contains("\"code\":\"upstream_unavailable\"")
        .contains("AWS is unavailable")
        .doesNotContain("InternalFailure");
    assertThat(rig.auditCount("credential.denied")).isEqualTo(denied + 1);
  }

  @Test
  void aHangingStsTimesOutBoundedWhileHealthStaysFast() throws Exception {
    assertThat(credentials().statusCode()).isEqualTo(200);
    rig.sts().slowFor(Duration.ofSeconds(30)).failAlways(Failure.SLOW);
    // The rig's STS keeps no record of calls; a hold tells when each call has arrived.
    CompletableFuture<?>[] arrived = new CompletableFuture<?>[16];
    for (int i = 0; i < arrived.length; i++) {
      arrived[i] = rig.sts().holdNext().arrived();
    }
    LoadDriver.Result hung;
    LoadDriver.Result health;
    try (LoadDriver slowDriver = new LoadDriver();
        LoadDriver healthDriver = new LoadDriver()) {
      // 16 callers each send one request that hangs on STS (the run ends when they answer).
      CompletableFuture<LoadDriver.Result> slow =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return slowDriver.run(rig.credentials("alice"), 16, Duration.ofMillis(200));
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      // Health is measured beside the slow requests once all of them hang on STS.
      CompletableFuture.allOf(arrived).get(CALL_BOUND.toSeconds(), TimeUnit.SECONDS);
      health =
          healthDriver.run(LoadDriver.Target.get(rig.uri("/healthz")), 4, Duration.ofSeconds(6));
      hung = slow.get();
    }
    assertThat(hung.byStatus().keySet()).as(hung.toString()).containsOnly(503);
    assertThat(hung.percentileMillis(1.0))
        .as("every caller is answered within the call bound")
        .isLessThan(CALL_BOUND.plusSeconds(5).toMillis());
    assertThat(health.byStatus().keySet()).as(health.toString()).containsOnly(200);
    assertThat(health.count(200)).as(health.toString()).isGreaterThan(100);
    // A generous bound: starvation would show as seconds (the STS calls hang for 10 s).
    assertThat(health.percentileMillis(0.99)).as(health.toString()).isLessThan(2_000);
  }
}
