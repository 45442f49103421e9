package dev.stint.sink;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** One POST with a bounded wait; anything but 2xx is a failure naming the sink, not the URL. */
final class HttpPost {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(TIMEOUT)
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  String send(String sink, URI url, String contentType, byte[] body, Map<String, String> headers)
      throws IOException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(url)
            .timeout(TIMEOUT)
            .header("Content-Type", contentType)
            .header("User-Agent", "stint-audit-sink")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(b::header);
    HttpResponse<String> answer;
    try {
      answer = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("sink " + sink + ": interrupted");
    } catch (IOException e) {
      throw new IOException("sink " + sink + " unreachable: " + e.getClass().getSimpleName());
    }
    if (answer.statusCode() / 100 != 2) {
      throw new IOException("sink " + sink + " answered HTTP " + answer.statusCode());
    }
    return answer.body();
  }
}
