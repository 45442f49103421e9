package dev.stint.app;

import static dev.stint.app.BootSteps.await;

import dev.stint.config.StintConfig;
import dev.stint.http.ConnectionGuard;
import dev.stint.http.HttpVerticle;
import dev.stint.http.MetricsRoutes;
import dev.stint.http.RouteModule;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP listeners: the main one and, when configured, /metrics on one of its own; each an
 * instance of the verticle per core. They are the first to stop, so that in-flight requests finish
 * while everything they need is still up.
 */
final class HttpListeners {
  // The server's log lines keep the name they have always had, whichever part writes them.
  private static final Logger LOG = LoggerFactory.getLogger(HttpListeners.class);

  private final Vertx vertx;
  private final StintConfig config;
  private final MeterRegistry meters;
  private final List<String> deployments = new ArrayList<>();
  private int port;
  private int metricsPort = -1;

  HttpListeners(Vertx vertx, StintConfig config, MeterRegistry meters) {
    this.vertx = vertx;
    this.config = config;
    this.meters = meters;
  }

  /**
   * The main listener, with the modules {@code mainModules} gives for the /metrics module it is to
   * serve, and /metrics on a listener of its own when configured.
   */
  void listen(Function<RouteModule, List<RouteModule>> mainModules) {
    MetricsRoutes metrics =
        new MetricsRoutes((PrometheusMeterRegistry) meters, config.metrics().token());
    port = deploy(config.listen(), mainModules.apply(onMainListener(metrics)));
    LOG.info("stint listening on {}", baseUrl());
    if (config.metrics().listen().isPresent()) {
      metricsPort = deploy(config.metrics().listen().get(), List.of(metrics));
      LOG.info("metrics on {}", config.metrics().listen().get().host() + ":" + metricsPort);
    }
    if (config.metrics().token().isEmpty()) {
      LOG.info("/metrics answers callers on this host only; set metrics.token for others");
    }
  }

  /** /metrics is served on the main listener only when it has no listener of its own. */
  private RouteModule onMainListener(MetricsRoutes metrics) {
    return config.metrics().listen().isPresent() ? router -> {} : metrics;
  }

  private int deploy(StintConfig.HostPort where, List<RouteModule> modules) {
    String host = where.host();
    // Port 0 becomes negative: Vert.x then binds one random port and shares it between all
    // the instances (with 0 each instance would get a port of its own). Servers with the same
    // negative number share one port, so each listener gets a number of its own.
    int listenPort = where.port() == 0 ? -(deployments.size() + 1) : where.port();
    List<HttpVerticle> instances = new CopyOnWriteArrayList<>();
    int count = Runtime.getRuntime().availableProcessors();
    HttpVerticle.Settings settings =
        new HttpVerticle.Settings(
            config.shutdownTimeout(),
            ConnectionGuard.of(config.http())
                .publish(meters, where == config.listen() ? "api" : "metrics"));
    String deployment =
        await(
            vertx.deployVerticle(
                () -> {
                  HttpVerticle v = new HttpVerticle(host, listenPort, modules, settings);
                  instances.add(v);
                  return v;
                },
                new DeploymentOptions().setInstances(count)),
            "cannot listen on " + where);
    deployments.add(deployment);
    return instances.get(0).actualPort();
  }

  /** Undeploys every listener, each draining its in-flight requests, waiting up to waitMs each. */
  void stop(long waitMs) throws Exception {
    for (String deployment : deployments) {
      vertx
          .undeploy(deployment)
          .toCompletionStage()
          .toCompletableFuture()
          .get(waitMs, TimeUnit.MILLISECONDS);
    }
  }

  int port() {
    return port;
  }

  Optional<Integer> metricsPort() {
    return metricsPort < 0 ? Optional.empty() : Optional.of(metricsPort);
  }

  /** The URL the main listener answers on (from the bound address, not public_url). */
  URI baseUrl() {
    String host = config.listen().host();
    String shown = "0.0.0.0".equals(host) || "::".equals(host) ? "127.0.0.1" : host;
    return URI.create("http://" + (shown.contains(":") ? "[" + shown + "]" : shown) + ":" + port);
  }
}
