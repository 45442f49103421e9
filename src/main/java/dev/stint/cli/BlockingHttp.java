package dev.stint.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP exchange on the calling thread, the CLI's every call (the stint API, the identity
 * provider, GitHub's token endpoint). Not {@code java.net.http}'s client: its selector thread waits
 * in native code, and a JVM that exits waits a few hundred milliseconds for such threads, at the
 * end of every command. Redirects are never followed (a bearer token must not travel to another
 * address), and only http and https are spoken.
 */
public final class BlockingHttp {
  /** The status and the body of an answer (an error's body too). */
  public record Answer(int status, String body) {}

  private BlockingHttp() {}

  /**
   * Sends {@code body} (none when null) and reads the answer; {@code connect} bounds connecting,
   * {@code read} each wait for the answer's bytes.
   */
  public static Answer send(
      String method,
      URI uri,
      Map<String, String> headers,
      String body,
      Duration connect,
      Duration read)
      throws IOException {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      throw new IOException("not an http(s) URL");
    }
    HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
    try {
      connection.setInstanceFollowRedirects(false);
      connection.setUseCaches(false);
      connection.setConnectTimeout(Math.toIntExact(connect.toMillis()));
      connection.setReadTimeout(Math.toIntExact(read.toMillis()));
      connection.setRequestMethod(method);
      headers.forEach(connection::setRequestProperty);
      if (body != null) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        connection.setDoOutput(true);
        connection.setFixedLengthStreamingMode(bytes.length);
        try (OutputStream out = connection.getOutputStream()) {
          out.write(bytes);
        }
      }
      int status = connection.getResponseCode();
      InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
      if (in == null) {
        return new Answer(status, "");
      }
      try (in) {
        return new Answer(status, new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    } finally {
      connection.disconnect();
    }
  }
}
