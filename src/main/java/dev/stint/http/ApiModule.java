package dev.stint.http;

import io.vertx.ext.web.Router;

/**
 * A group of authenticated API routes. It registers on the {@code /v1} sub-router that {@link Api}
 * puts behind authentication, with paths relative to {@code /v1}: there is no router an API module
 * could reach that lets a caller in without a token.
 */
@FunctionalInterface
public interface ApiModule {
  void register(Router v1);
}
