package dev.stint.demo;

import java.net.URI;

/**
 * An OAuth client of the development IdP. A web client has one exact redirect URI; a native client
 * (the CLI's {@code stint login --browser}) may use any loopback redirect on any port, as RFC 8252
 * §7.3 allows.
 */
public record DevClient(String id, URI webRedirect) {
  public static DevClient web(String id, URI redirect) {
    return new DevClient(id, redirect);
  }

  public static DevClient nativeApp(String id) {
    return new DevClient(id, null);
  }

  boolean allows(String redirectUri) {
    if (redirectUri == null || redirectUri.isEmpty()) {
      return false;
    }
    if (webRedirect != null) {
      return webRedirect.toString().equals(redirectUri);
    }
    try {
      URI uri = URI.create(redirectUri);
      return "http".equals(uri.getScheme())
          && uri.getRawFragment() == null
          && ("127.0.0.1".equals(uri.getHost())
              || "[::1]".equals(uri.getHost())
              || "localhost".equals(uri.getHost()));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
