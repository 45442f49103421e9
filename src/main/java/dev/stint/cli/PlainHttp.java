package dev.stint.cli;

import java.net.URI;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Whether a server URL is safe for a bearer token: https anywhere, plain http only to this
 * machine. Loopback is judged from the URL's literal host (127.0.0.0/8, ::1, {@code localhost});
 * names are not resolved, because a name that resolves to loopback today may not tomorrow.
 */
final class PlainHttp {
  private static final Pattern IPV4_LOOPBACK =
      Pattern.compile("127\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){2}");

  private PlainHttp() {}

  static boolean safe(URI server) {
    return "https".equals(server.getScheme()) || loopback(server.getHost());
  }

  static boolean loopback(String host) {
    if (host == null) {
      return false;
    }
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost") || IPV4_LOOPBACK.matcher(h).matches()
        || h.equals("[::1]") || h.equals("[0:0:0:0:0:0:0:1]");
  }
}
