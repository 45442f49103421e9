package dev.stint.review;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.bench.Machine;
import dev.stint.testing.ApiCalls;
import dev.stint.testing.MutableClock;
import dev.stint.testing.ScimWrites;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A review of 500 eligible people on a real server with a SCIM directory: opened, read, decided in
 * one call by a reviewer who is not among them, read again and exported. It asserts what the review
 * holds at each step and prints how long each took, beside the host and the time {@code java
 * -version} takes on it, so a figure can be compared with another host's; it asserts no time.
 */
class ReviewScaleIT {
  static final int PEOPLE = 500;
  static final String SCIM_TOKEN = "review-scale-scim-token-0123456789abcdef012345";

  static TestIdp idp;
  static TestServer server;
  static ApiCalls api;

  @BeforeAll
  static void start() throws Exception {
    idp = new TestIdp("corp");
    server =
        TestServer.start(
            TestPostgres.migratedDatabase(),
            Map.of("STINT_DIRECTORY_SCIM_TOKEN", SCIM_TOKEN, "STINT_DIRECTORY_ISSUER", "corp"),
            policy(),
            new MutableClock(Instant.now()));
    api = new ApiCalls(server);
    ScimWrites scim = new ScimWrites(server, SCIM_TOKEN);
    List<String> eng = new ArrayList<>();
    for (int i = 0; i < PEOPLE; i++) {
      eng.add(scim.user(person(i)));
    }
    scim.group("eng", eng);
    scim.group("security", List.of(scim.user("sec")));
    scim.group("admins", List.of(scim.user("admin")));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    idp.close();
  }

  static String person(int i) {
    return String.format("u%03d", i);
  }

  static String policy() {
    return "issuers:\n"
        + idp.issuerYaml("corp")
        + "profiles:\n"
        + "  prod:\n"
        + "    aws: {role_arn: \"arn:aws:iam::111122223333:role/prod\", mode: assume_role}\n"
        + "    max_duration: 1h\n"
        + "    requesters: '\"eng\" in principal.groups'\n"
        + "    approval: {count: 1, approvers: '\"leads\" in principal.groups'}\n"
        + "    access_review: {every: 90d, reviewers: '\"security\" in principal.groups',"
        + " due_in: 14d, when_overdue: keep}\n"
        + "admins: '\"admins\" in principal.groups'\n";
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void fiveHundredPeopleAreOpenedReadDecidedAndExported() throws Exception {
    long t = System.nanoTime();
    ApiCalls.Answer opened =
        api.post(
            idp.token("admin"),
            "/v1/access-reviews",
            new JsonObject().put("profile", "prod").encode());
    double open = ms(t);
    assertThat(opened.status()).as(opened.body().toString()).isEqualTo(201);
    String id = opened.body().path("id").asText();
    assertThat(opened.body().path("items")).hasSize(PEOPLE);

    t = System.nanoTime();
    ApiCalls.Answer read = api.get(idp.token("sec"), "/v1/access-reviews/" + id);
    double get = ms(t);
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.body().path("items_total").asInt()).isEqualTo(PEOPLE);
    assertThat(read.body().path("items_decided").asInt()).isZero();

    JsonArray items = new JsonArray();
    for (int i = 0; i < PEOPLE; i++) {
      items.add(
          new JsonObject()
              .put("issuer", idp.issuer())
              .put("subject", person(i))
              .put("decision", i % 2 == 0 ? "keep" : "remove"));
    }
    String body = new JsonObject().put("items", items).encode();
    t = System.nanoTime();
    ApiCalls.Answer decided =
        api.post(idp.token("sec"), "/v1/access-reviews/" + id + "/decisions", body);
    double decide = ms(t);
    assertThat(decided.status()).as(decided.body().toString()).isEqualTo(200);

    t = System.nanoTime();
    ApiCalls.Answer after = api.get(idp.token("sec"), "/v1/access-reviews/" + id);
    double getAfter = ms(t);
    JsonNode review = after.body();
    assertThat(review.path("state").asText()).isEqualTo("closed");
    assertThat(review.path("items_decided").asInt()).isEqualTo(PEOPLE);
    assertThat(review.path("kept").asInt()).isEqualTo(PEOPLE / 2);
    assertThat(review.path("removed").asInt()).isEqualTo(PEOPLE / 2);
    for (JsonNode i : review.path("items")) {
      assertThat(i.path("decided_by").path("subject").asText()).isEqualTo("sec");
    }

    t = System.nanoTime();
    HttpResponse<String> csv =
        server.send(
            HttpRequest.newBuilder(server.uri("/v1/access-reviews/" + id + "/export?format=csv"))
                .header("Authorization", "Bearer " + idp.token("sec"))
                .GET()
                .build());
    double export = ms(t);
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.body().split("\r\n")).hasSize(PEOPLE + 1);

    double javaVersion = javaVersionMedian();
    System.out.println(Machine.describe());
    System.out.printf(
        "review of %d people: open %.0f ms, get %.0f ms, decide all %.0f ms, get after %.0f ms,"
            + " export csv %.0f ms; java -version %.0f ms (median of 3); ratios to it: open %.1f,"
            + " get %.1f, decide %.1f, export %.1f%n",
        PEOPLE,
        open,
        get,
        decide,
        getAfter,
        export,
        javaVersion,
        open / javaVersion,
        get / javaVersion,
        decide / javaVersion,
        export / javaVersion);
  }

  static double ms(long start) {
    return (System.nanoTime() - start) / 1e6;
  }

  /** How long starting a JVM takes on this host: the baseline the figures are read against. */
  static double javaVersionMedian() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    double[] runs = new double[3];
    for (int i = 0; i < runs.length; i++) {
      long t = System.nanoTime();
      Process p = new ProcessBuilder(java, "-version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      assertThat(p.waitFor()).isZero();
      runs[i] = ms(t);
    }
    Arrays.sort(runs);
    return runs[1];
  }
}
