package dev.stint.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * wrk, the HTTP load generator, as a separate process: closed-loop connections, its own latency
 * histogram. What it printed is parsed into the figures the benches report.
 */
final class Wrk {
  /** One run's figures; {@code non2xx} counts answers other than 2xx/3xx. */
  record Result(
      double perSecond,
      double p50Millis,
      double p99Millis,
      long requests,
      long non2xx,
      long socketErrors) {
    double tail() {
      return p99Millis / p50Millis;
    }

    @Override
    public String toString() {
      return String.format(
          "%.0f/s, p50 %.1f ms, p99 %.1f ms (p99/p50 %.2f), %d requests,"
              + " %d not 2xx, %d socket errors",
          perSecond, p50Millis, p99Millis, tail(), requests, non2xx, socketErrors);
    }
  }

  private static final Pattern PERCENTILE =
      Pattern.compile("^\\s*(50|99)(?:\\.000)?%\\s+([0-9.]+)(us|ms|s)\\s*$");
  private static final Pattern RATE = Pattern.compile("^Requests/sec:\\s+([0-9.]+)");
  private static final Pattern TOTAL = Pattern.compile("^\\s*(\\d+) requests in");
  private static final Pattern NON_2XX =
      Pattern.compile("^\\s*Non-2xx or 3xx responses:\\s+(\\d+)");
  private static final Pattern SOCKET =
      Pattern.compile(
          "^\\s*Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

  private Wrk() {}

  static boolean installed() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "wrk"))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Runs wrk with one thread and {@code connections} connections against {@code uri}. With a {@code
   * stagger}, the connections send their first requests spread evenly over it instead of all at
   * once: a closed loop started in step stays in step for a while (every stage sees all the
   * requests together, then none), which is a start-up artifact, not the steady state being
   * measured. wrk times a request from when it is sent, so the wait before it is not counted.
   */
  static Result run(
      URI uri,
      int connections,
      Duration duration,
      Duration stagger,
      String method,
      Map<String, String> headers,
      String body)
      throws IOException, InterruptedException {
    Path script = Files.createTempFile("stint-wrk", ".lua");
    try {
      StringBuilder lua = new StringBuilder("wrk.method = \"" + method + "\"\n");
      headers.forEach(
          (k, v) ->
              lua.append("wrk.headers[\"").append(k).append("\"] = \"").append(v).append("\"\n"));
      if (body != null) {
        lua.append("wrk.body = '").append(body).append("'\n");
      }
      if (!stagger.isZero()) {
        // delay() is asked before every request; the first one per connection is spread out.
        lua.append("local started = 0\n")
            .append("function delay()\n")
            .append("  if started >= ")
            .append(connections)
            .append(" then return 0 end\n")
            .append("  started = started + 1\n")
            .append("  return math.floor(started * ")
            .append(stagger.toMillis())
            .append(" / ")
            .append(connections)
            .append(")\n")
            .append("end\n");
      }
      Files.writeString(script, lua);
      List<String> command =
          new ArrayList<>(
              List.of(
                  "wrk",
                  "-t1",
                  "-c" + connections,
                  "-d" + duration.toSeconds() + "s",
                  "--timeout",
                  "10s",
                  "--latency",
                  "-s",
                  script.toString(),
                  uri.toString()));
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IOException("wrk failed: " + out);
      }
      return parse(out);
    } finally {
      Files.deleteIfExists(script);
    }
  }

  static Result parse(String out) {
    double p50 = Double.NaN;
    double p99 = Double.NaN;
    double rate = Double.NaN;
    long total = 0;
    long non2xx = 0;
    long socket = 0;
    for (String line : out.split("\n")) {
      Matcher m;
      if ((m = PERCENTILE.matcher(line)).matches()) {
        double ms = millis(Double.parseDouble(m.group(2)), m.group(3));
        if (m.group(1).equals("50")) {
          p50 = ms;
        } else {
          p99 = ms;
        }
      } else if ((m = RATE.matcher(line)).find()) {
        rate = Double.parseDouble(m.group(1));
      } else if ((m = TOTAL.matcher(line)).find()) {
        total = Long.parseLong(m.group(1));
      } else if ((m = NON_2XX.matcher(line)).find()) {
        non2xx = Long.parseLong(m.group(1));
      } else if ((m = SOCKET.matcher(line)).find()) {
        for (int i = 1; i <= 4; i++) {
          socket += Long.parseLong(m.group(i));
        }
      }
    }
    if (Double.isNaN(p50) || Double.isNaN(p99) || Double.isNaN(rate)) {
      throw new IllegalStateException("could not read wrk's output:\n" + out);
    }
    return new Result(rate, p50, p99, total, non2xx, socket);
  }

  private static double millis(double value, String unit) {
    return switch (unit) {
      case "us" -> value / 1000;
      case "s" -> value * 1000;
      default -> value;
    };
  }
}
