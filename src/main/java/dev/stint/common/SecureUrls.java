package dev.stint.common;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The one rule for URLs that tokens or keys travel over: https anywhere, plain http only to this
 * machine (development and tests). "This machine" is judged from the URL's literal host ({@code
 * localhost}, 127.0.0.0/8, ::1); other names are never resolved, because a name that points at
 * loopback today may point elsewhere tomorrow.
 */
public final class SecureUrls {
  private SecureUrls() {}

  /** Is this an absolute https URL, or an http URL to a loopback host? */
  public static boolean httpsOrLoopback(URI uri) {
    String host = uri.getHost();
    if (host == null) {
      return false;
    }
    return "https".equals(uri.getScheme()) || "http".equals(uri.getScheme()) && loopbackHost(host);
  }

  /**
   * What may be shown of a URL whose query or user info could carry a secret: scheme, host, port
   * and path.
   */
  public static String shown(URI uri) {
    return uri.getScheme()
        + "://"
        + uri.getHost()
        + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
        + uri.getRawPath();
  }

  /** {@link #httpsOrLoopback(URI)} for text; text that is not a URI is not secure. */
  public static boolean httpsOrLoopback(String url) {
    try {
      return httpsOrLoopback(new URI(url));
    } catch (URISyntaxException e) {
      return false;
    }
  }

  /** {@code localhost} or a loopback address literal (bracketed IPv6 as in a URL, or bare). */
  public static boolean loopbackHost(String host) {
    if (host == null) {
      return false;
    }
    if ("localhost".equals(host.toLowerCase(Locale.ROOT))) {
      return true;
    }
    return IpLiterals.parse(host).map(InetAddress::isLoopbackAddress).orElse(false);
  }
}
