package dev.stint.bench;

import dev.stint.config.DatabaseUrl;
import dev.stint.testing.ApiCalls;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Eventually;
import dev.stint.testing.FakeIam;
import dev.stint.testing.FakeSts;
import dev.stint.testing.LoadDriver;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPolicies;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * {@code make bench-revoke}: from a revoke's commit to its AWS deny in place and read back, for
 * revocations one after another through a real server and its outbox, against the IAM stand-in
 * (which answers at once, so this is stint's own share; IAM's propagation comes on top). Both ends
 * are the server's own audit timestamps ({@code grant.revoked}, then {@code
 * grant.revocation_applied}). Beside it, in the same run: the server's {@code /healthz} latency and
 * a raw single-row Postgres commit on the same database.
 *
 * <p>Arguments: revocations to measure (one role's deny holds about a hundred), and warm-up
 * revocations before them.
 */
public final class RevocationBench {
  private RevocationBench() {}

  public static void main(String[] args) throws Exception {
    int measure = args.length > 0 ? Integer.parseInt(args[0]) : 60;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    System.out.println(Machine.describe());
    System.setProperty("aws.accessKeyId", "AKIASTINTBENCH000001");
    System.setProperty("aws.secretAccessKey", "stint-bench-secret-not-real-00000000001");
    DatabaseUrl db = TestPostgres.migratedDatabase();
    try (FakeSts sts = new FakeSts();
        FakeIam iam = new FakeIam().createRole("prod-admin").createRole("sandbox");
        TestIdp idp = new TestIdp("corp");
        TestServer server =
            TestServer.start(
                db,
                Map.of(
                    "STINT_AWS_STS_ENDPOINT",
                    sts.uri().toString(),
                    "STINT_AWS_IAM_ENDPOINT",
                    iam.uri().toString(),
                    "STINT_AWS_REGION",
                    "eu-west-1"),
                TestPolicies.requests(idp));
        LoadDriver driver = new LoadDriver()) {
      ApiCalls api = new ApiCalls(server);
      List<Double> millis = new ArrayList<>();
      for (int i = 0; i < warmup + measure; i++) {
        double ms = revokeOnce(api, idp, db, "bench" + i);
        if (i >= warmup) {
          millis.add(ms);
        }
      }
      LoadDriver.Result health =
          driver.run(LoadDriver.Target.get(server.uri("/healthz")), 1, Duration.ofSeconds(5));
      double commitMs =
          1000.0 / PostgresCommitRate.perSecond(TestPostgres.asOwner(db), Duration.ofSeconds(5));
      Collections.sort(millis);
      double p50 = percentile(millis, 0.5);
      double p99 = percentile(millis, 0.99);
      double healthMs = health.percentileMillis(0.5);
      System.out.printf("%nrevoke -> deny (%d revocations, one at a time)%n", millis.size());
      System.out.printf("%-10s %10s %14s %14s%n", "", "ms", "x healthz p50", "x pg commit");
      System.out.printf("%-10s %10.1f %14.1f %14.1f%n", "p50", p50, p50 / healthMs, p50 / commitMs);
      System.out.printf("%-10s %10.1f %14.1f %14.1f%n", "p99", p99, p99 / healthMs, p99 / commitMs);
      System.out.printf(
          "baselines: healthz p50 %.2f ms (1 client), raw Postgres single-row"
              + " commit %.2f ms%n",
          healthMs, commitMs);
    } finally {
      System.clearProperty("aws.accessKeyId");
      System.clearProperty("aws.secretAccessKey");
    }
    System.exit(0);
  }

  /** One auto-approved sandbox grant, revoked; answers the server's revoke-to-deny in ms. */
  static double revokeOnce(ApiCalls api, TestIdp idp, DatabaseUrl db, String user)
      throws Exception {
    String token = idp.token(user, "oncall");
    ApiCalls.Answer created =
        api.post(
            token,
            "/v1/requests",
            "{\"profile\":\"sandbox\"," + "\"duration_seconds\":1800,\"reason\":\"bench\"}");
    String id = created.body().get("id").asText();
    if (api.post(token, "/v1/requests/" + id + "/revoke", "{}").status() != 200) {
      throw new IllegalStateException("revoke refused: " + id);
    }
    String applied = "type = 'grant.revocation_applied' AND request_id = '" + id + "'";
    Eventually.until(
        "the deny for " + id, Duration.ofSeconds(30), () -> AuditTables.count(db, applied) > 0);
    return Double.parseDouble(
        AuditTables.strings(
                db,
                "SELECT extract(epoch FROM"
                    + " (a.occurred_at - r.occurred_at)) * 1000 FROM audit_events a, audit_events r"
                    + " WHERE a.request_id = '"
                    + id
                    + "' AND a.type = 'grant.revocation_applied'"
                    + " AND r.request_id = a.request_id AND r.type = 'grant.revoked'")
            .get(0));
  }

  static double percentile(List<Double> sorted, double q) {
    int i = (int) Math.ceil(q * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }
}
