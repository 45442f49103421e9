package dev.stint.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The pages' few static files, from the classpath ({@code web/}), read once. Only the names listed
 * here are served: no path from the URL ever reaches the classpath lookup.
 */
final class StaticFiles {
  private static final Map<String, String> TYPES =
      Map.of(
          "stint.css", "text/css; charset=utf-8",
          "audit.js", "text/javascript; charset=utf-8");
  private final Map<String, Buffer> files;

  StaticFiles() {
    HashMap<String, Buffer> loaded = new HashMap<>();
    TYPES.keySet().forEach(name -> loaded.put(name, load(name)));
    files = Map.copyOf(loaded);
  }

  private static Buffer load(String name) {
    try (InputStream in = StaticFiles.class.getResourceAsStream("/web/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource web/" + name);
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void serve(RoutingContext ctx) {
    String name = ctx.pathParam("file");
    Buffer body = files.get(name);
    if (body == null) {
      ctx.response()
          .setStatusCode(404)
          .putHeader("Content-Type", "text/plain; charset=utf-8")
          .end("not found");
      return;
    }
    // Small and changed only by a release; no-store (set by the guard) keeps them simple.
    ctx.response().putHeader("Content-Type", TYPES.get(name)).end(body);
  }
}
