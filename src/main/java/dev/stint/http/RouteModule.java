package dev.stint.http;

import io.vertx.ext.web.Router;

/** A group of routes that registers itself on each server instance's router. */
@FunctionalInterface
public interface RouteModule {
  void register(Router router);
}
