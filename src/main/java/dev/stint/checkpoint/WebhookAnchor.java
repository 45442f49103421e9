package dev.stint.checkpoint;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * POSTs each checkpoint (body: the compact JWS, {@code application/jose}) to a receiver that keeps
 * it. The JWS is signed, so the receiver needs no shared secret to trust it; a non-2xx answer is a
 * failure the writer retries.
 */
public final class WebhookAnchor implements Anchor {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final URI url;
  private final String id;
  private final HttpClient http;

  public WebhookAnchor(URI url, String id) {
    this.url = url;
    this.id = id;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public void write(Checkpoint checkpoint) throws IOException {
    send(
        HttpRequest.newBuilder(url)
            .timeout(TIMEOUT)
            .header("Content-Type", "application/jose")
            .header("X-Stint-Checkpoint-Seq", Long.toString(checkpoint.seq()))
            .POST(HttpRequest.BodyPublishers.ofString(checkpoint.jws()))
            .build());
  }

  /**
   * A retention export: {@code {"manifest": {...}, "checkpoint": "<JWS>"}} as JSON, so the receiver
   * can later check the exported file it is shown against both.
   */
  @Override
  public void exported(String manifest, Checkpoint checkpoint) throws IOException {
    String body = "{\"manifest\":" + manifest + ",\"checkpoint\":\"" + checkpoint.jws() + "\"}";
    send(
        HttpRequest.newBuilder(url)
            .timeout(TIMEOUT)
            .header("Content-Type", "application/json")
            .header("X-Stint-Export-Seq", Long.toString(checkpoint.seq()))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  private void send(HttpRequest request) throws IOException {
    int status;
    try {
      status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while posting to " + id);
    } catch (IOException e) {
      // The client's own messages may name the URL, whose query can hold a token.
      throw new IOException(id + " unreachable: " + e.getClass().getSimpleName());
    }
    if (status / 100 != 2) {
      throw new IOException(id + " answered " + status);
    }
  }
}
