package dev.stint.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The server's histograms scraped once a second while a bench runs, one line per second: whether a
 * tail is spread evenly or made in a few bad seconds (a pause, a stalled commit) shows here and
 * nowhere in a whole run's percentiles. It scrapes from the warm-up on, as Prometheus would scrape
 * a deployed server: a first scrape inside the measured window slowed the server for several
 * seconds after it (docs/performance-history.md).
 */
final class Timeline implements AutoCloseable {
  private final URI base;
  private final HttpClient client = ServerHistograms.client();
  private final List<String> series;
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "bench-timeline");
            t.setDaemon(true);
            return t;
          });
  private final List<String> lines = new ArrayList<>();
  private ServerHistograms last;
  private int second;

  private Timeline(URI base, List<String> series) {
    this.base = base;
    this.series = series;
  }

  static Timeline start(URI base, List<String> series) throws Exception {
    Timeline t = new Timeline(base, series);
    t.last = t.scrape();
    t.ticker.scheduleAtFixedRate(t::tick, 1, 1, TimeUnit.SECONDS);
    return t;
  }

  private void tick() {
    try {
      ServerHistograms now = scrape();
      ServerHistograms previous = last;
      last = now;
      synchronized (lines) {
        lines.add(line(now, previous, ++second));
      }
    } catch (Exception e) {
      synchronized (lines) {
        lines.add("scrape failed: " + e.getMessage());
      }
    }
  }

  private String line(ServerHistograms now, ServerHistograms last, int second) {
    StringBuilder line = new StringBuilder(String.format("%3d s", second));
    for (int i = 0; i < series.size() && i < 3; i++) {
      ServerHistograms.Window w = now.since(last, series.get(i));
      line.append(
          i == 0
              ? String.format("  %5d, %5.1f, %5.1f", w.count(), w.p50(), w.p99())
              : String.format(" | %5.1f, %5.1f", w.p50(), w.p99()));
    }
    return line.toString();
  }

  ServerHistograms scrape() throws Exception {
    return ServerHistograms.scrape(client, base);
  }

  /** Forgets the seconds so far: the measured window starts now. */
  void restart() {
    synchronized (lines) {
      lines.clear();
      second = 0;
    }
  }

  List<String> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  @Override
  public void close() {
    ticker.shutdownNow();
  }
}
