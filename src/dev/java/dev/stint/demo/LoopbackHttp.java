package dev.stint.demo;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;

/**
 * The demo's own JDK HTTP servers (the IdP, the CI issuer): 127.0.0.1, a free port or the one the
 * demo's kept state remembers, started.
 */
final class LoopbackHttp {
  private LoopbackHttp() {}

  /**
   * {@code handler} for every path on 127.0.0.1, {@code port} (0: a free one); {@code what} names
   * it in a failure.
   */
  static HttpServer start(String what, HttpHandler handler, Executor executor, int port) {
    HttpServer server;
    try {
      server =
          HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(
          what + " cannot listen on 127.0.0.1" + (port == 0 ? "" : ":" + port), e);
    }
    server.createContext("/", handler);
    server.setExecutor(executor);
    server.start();
    return server;
  }
}
