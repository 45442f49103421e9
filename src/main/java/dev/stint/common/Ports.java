package dev.stint.common;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Whether a TCP port is taken: start-up asks before it starts anything (the demo's database and
 * stand-ins take seconds), so a busy port is named at once instead of as a listen failure at the
 * end; and a listen failure is recognised for what it is when another process took the port in
 * between.
 */
public final class Ports {
  private Ports() {}

  /**
   * True when something already listens on {@code host:port}. Port 0 is never taken; an address
   * that cannot be bound for another reason is not reported here, so the real listen names it.
   */
  public static boolean inUse(String host, int port) {
    if (port == 0) {
      return false;
    }
    try (ServerSocket probe = new ServerSocket()) {
      // As Vert.x listens: a port left in TIME_WAIT by a stopped server is free to take.
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(host, port));
      return false;
    } catch (BindException e) {
      return true;
    } catch (IOException | IllegalArgumentException | SecurityException e) {
      return false;
    }
  }

  /**
   * Whether {@code failure} (or one of its causes) is a listen refused because the port is taken.
   */
  public static boolean refusedAsTaken(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof BindException
          || t.getMessage() != null && t.getMessage().contains("Address already in use")) {
        return true;
      }
    }
    return false;
  }
}
