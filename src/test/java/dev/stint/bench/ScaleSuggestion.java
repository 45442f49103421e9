package dev.stint.bench;

import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * How long a profile's suggestion takes (docs/policies.md, right-sizing): {@code GET
 * /v1/profiles/{name}/suggestion?since=90d} of the profile most often asked for, read one at a time
 * as an auditor reads it, on each side; the target is under 2 s over a busy profile's 90 days.
 */
final class ScaleSuggestion {
  static final long TARGET_MILLIS = 2_000;
  static final int WARM = 3;
  static final int READS = 20;

  private final ScaleTable table;
  private final HttpClient http = HttpClient.newHttpClient();

  ScaleSuggestion(ScaleTable table) {
    this.table = table;
  }

  void run(ScaleSide s, String profile, String auditor) throws Exception {
    HttpRequest get =
        HttpRequest.newBuilder(
                s.uri(
                    "/v1/profiles/"
                        + URLEncoder.encode(profile, StandardCharsets.UTF_8)
                        + "/suggestion?since=90d"))
            .header("Authorization", "Bearer " + auditor)
            .GET()
            .build();
    JsonObject answer = null;
    for (int i = 0; i < WARM; i++) {
      answer = read(get);
    }
    List<Long> millis = new ArrayList<>();
    for (int i = 0; i < READS; i++) {
      long t0 = System.nanoTime();
      answer = read(get);
      millis.add((System.nanoTime() - t0) / 1_000_000);
    }
    millis.sort(null);
    long p50 = millis.get(millis.size() / 2);
    long max = millis.get(millis.size() - 1);
    table.note(
        String.format(
            "suggestion (%s): %s over %,d allowed calls of %,d grants in 90 days, %d actions"
                + " observed, %d reads: p50 %d ms, max %d ms; target under %d ms: %s",
            s.name,
            profile,
            answer.getLong("calls"),
            answer.getLong("grants"),
            answer.getJsonArray("observed").size(),
            READS,
            p50,
            max,
            TARGET_MILLIS,
            max < TARGET_MILLIS ? "met" : "NOT met"));
  }

  private JsonObject read(HttpRequest get) throws Exception {
    HttpResponse<String> r = http.send(get, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("suggestion answered " + r.statusCode() + ": " + r.body());
    }
    return new JsonObject(r.body());
  }
}
