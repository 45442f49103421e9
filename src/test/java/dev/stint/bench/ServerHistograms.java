package dev.stint.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Latency percentiles in the server's own clock, from two scrapes of its {@code /metrics}: the
 * histogram buckets counted between them, so the figures cover one measured window only. They tell
 * the server's part of a tail from what the load generator and the host's scheduling add. Buckets
 * are coarse (a few tenths apart), so a percentile is interpolated within its bucket.
 */
final class ServerHistograms {
  private static final Pattern BUCKET =
      Pattern.compile("^([a-z_]+)_bucket\\{(.*)le=\"([^\"]+)\",?\\} ([0-9.eE+-]+)$");

  private final Map<String, TreeMap<Double, Double>> buckets;

  private ServerHistograms(Map<String, TreeMap<Double, Double>> buckets) {
    this.buckets = buckets;
  }

  /** One client for all of a bench's scrapes: each new one starts threads of its own. */
  static HttpClient client() {
    return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  static ServerHistograms scrape(HttpClient client, URI base) throws Exception {
    HttpResponse<String> answer =
        client.send(
            HttpRequest.newBuilder(base.resolve("/metrics"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 200) {
      throw new IllegalStateException("/metrics answered " + answer.statusCode());
    }
    return parse(answer.body());
  }

  static ServerHistograms parse(String text) {
    Map<String, TreeMap<Double, Double>> found = new TreeMap<>();
    for (String line : text.split("\n")) {
      Matcher m = BUCKET.matcher(line);
      if (m.matches()) {
        double le =
            m.group(3).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(3));
        String labels =
            m.group(2).endsWith(",")
                ? m.group(2).substring(0, m.group(2).length() - 1)
                : m.group(2);
        found
            .computeIfAbsent(m.group(1) + "{" + labels + "}", k -> new TreeMap<>())
            .put(le, Double.parseDouble(m.group(4)));
      }
    }
    return new ServerHistograms(found);
  }

  /** One series' percentiles between two scrapes, in milliseconds. */
  record Window(String series, long count, double p50, double p99) {
    @Override
    public String toString() {
      return count == 0
          ? series + ": nothing recorded"
          : String.format(
              "%s: %d, p50 %.1f ms, p99 %.1f ms (p99/p50 %.2f)",
              series, count, p50, p99, p99 / p50);
    }
  }

  /** {@code series} is the metric name and its labels as /metrics prints them, without le. */
  Window since(ServerHistograms before, String series) {
    TreeMap<Double, Double> now = buckets.getOrDefault(series, new TreeMap<>());
    TreeMap<Double, Double> then = before.buckets.getOrDefault(series, new TreeMap<>());
    List<double[]> counted = new ArrayList<>();
    now.forEach(
        (le, cumulative) ->
            counted.add(new double[] {le, cumulative - then.getOrDefault(le, 0.0)}));
    double total = counted.isEmpty() ? 0 : counted.get(counted.size() - 1)[1];
    return new Window(
        series,
        Math.round(total),
        percentile(counted, total, 0.50),
        percentile(counted, total, 0.99));
  }

  private static double percentile(List<double[]> counted, double total, double q) {
    double rank = q * total;
    double lower = 0;
    double below = 0;
    for (double[] bucket : counted) {
      if (bucket[1] >= rank && bucket[1] > below) {
        double upper = Double.isInfinite(bucket[0]) ? lower : bucket[0];
        return 1000 * (lower + (upper - lower) * (rank - below) / (bucket[1] - below));
      }
      lower = bucket[0];
      below = bucket[1];
    }
    return Double.NaN;
  }
}
