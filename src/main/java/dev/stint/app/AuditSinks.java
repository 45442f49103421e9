package dev.stint.app;

import dev.stint.audit.AuditReader;
import dev.stint.config.SinkConfig;
import dev.stint.sink.CloudEventsSink;
import dev.stint.sink.OcsfSink;
import dev.stint.sink.S3JsonlSink;
import dev.stint.sink.Sink;
import dev.stint.sink.SinkCursors;
import dev.stint.sink.SinkWorker;
import dev.stint.sink.SplunkHecSink;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code audit.sinks}: one worker per sink on a small pool of their own, so a sink that is slow
 * or down never holds a connection a request needs.
 */
final class AuditSinks implements AutoCloseable {
  private final List<SinkWorker> workers = new ArrayList<>();

  AuditSinks(
      Vertx vertx,
      List<SinkConfig> config,
      Pool pool,
      URI publicUrl,
      MeterRegistry meters,
      Clock clock) {
    SinkCursors cursors = new SinkCursors(pool);
    AuditReader reader = new AuditReader(pool);
    for (SinkConfig c : config) {
      workers.add(
          new SinkWorker(
              vertx,
              new SinkWorker.Parts(sink(c, publicUrl), cursors, reader),
              c.lagAlarm(),
              meters,
              clock));
    }
  }

  private static Sink sink(SinkConfig c, URI publicUrl) {
    switch (c.type()) {
      case "cloudevents":
        return new CloudEventsSink(c.name(), c.url().orElseThrow(), publicUrl);
      case "ocsf":
        return new OcsfSink(c.name(), c.url().orElseThrow());
      case "splunk_hec":
        return new SplunkHecSink(c.name(), c.url().orElseThrow(), c.token().orElseThrow());
      default:
        return S3JsonlSink.of(c.name(), c.s3().orElseThrow());
    }
  }

  Future<Void> start() {
    List<Future<Void>> started = new ArrayList<>();
    workers.forEach(w -> started.add(w.start()));
    return Future.all(started).mapEmpty();
  }

  /** Test seam: every sink delivers what it can now. */
  Future<Void> pumpNow() {
    List<Future<Integer>> pumped = new ArrayList<>();
    workers.forEach(w -> pumped.add(w.pump()));
    return Future.all(pumped).mapEmpty();
  }

  @Override
  public void close() {
    workers.forEach(SinkWorker::close);
  }
}
