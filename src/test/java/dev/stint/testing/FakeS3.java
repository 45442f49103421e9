package dev.stint.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An S3-compatible stand-in on 127.0.0.1, port 0, path-style ({@code /BUCKET/KEY}), for the AWS
 * SDK's real {@code S3Client}. Like S3 it refuses what S3 refuses: a request without a SigV4 {@code
 * Authorization} header (403 AccessDenied), an unknown bucket (404 NoSuchBucket), an unknown key
 * (404 NoSuchKey), a put with {@code If-None-Match: *} on an existing key (412 PreconditionFailed),
 * a put with Object Lock headers on a bucket without Object Lock, with only one of mode and
 * retain-until date, an unknown mode, a date in the past, or without a checksum (400
 * InvalidRequest). It decodes {@code aws-chunked} bodies as S3 does. Objects under lock are
 * recorded with their mode and date; {@link #failNext} makes the next requests answer 503.
 */
public final class FakeS3 implements AutoCloseable {
  /** One stored object: its bytes and, under Object Lock, its mode and retain-until date. */
  public record StoredObject(
      String body, Optional<String> lockMode, Optional<Instant> retainUntil) {}

  private final HttpServer server;
  private final Map<String, Boolean> buckets = new ConcurrentHashMap<>();
  private final Map<String, TreeMap<String, StoredObject>> objects = new ConcurrentHashMap<>();
  private final AtomicInteger failures = new AtomicInteger();
  private final AtomicInteger puts = new AtomicInteger();

  private FakeS3(HttpServer server) {
    this.server = server;
  }

  public static FakeS3 start() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    FakeS3 fake = new FakeS3(server);
    server.createContext("/", fake::handle);
    server.start();
    return fake;
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public void createBucket(String name, boolean objectLock) {
    buckets.put(name, objectLock);
    objects.put(name, new TreeMap<>());
  }

  /** The bucket's objects by key, in key order. */
  public synchronized Map<String, StoredObject> objects(String bucket) {
    return new TreeMap<>(objects.get(bucket));
  }

  /** Deletes an object, as someone with rights on the bucket could (when it is not locked). */
  public synchronized void delete(String bucket, String key) {
    objects.get(bucket).remove(key);
  }

  public void failNext(int n) {
    failures.set(n);
  }

  public int puts() {
    return puts.get();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      if (auth == null || !auth.startsWith("AWS4-HMAC-SHA256 Credential=")) {
        error(ex, 403, "AccessDenied");
        return;
      }
      if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        error(ex, 503, "SlowDown");
        return;
      }
      String path = ex.getRequestURI().getRawPath().substring(1);
      int slash = path.indexOf('/');
      String bucket = slash < 0 ? path : path.substring(0, slash);
      String key =
          slash < 0 ? "" : URLDecoder.decode(path.substring(slash + 1), StandardCharsets.UTF_8);
      if (!buckets.containsKey(bucket)) {
        error(ex, 404, "NoSuchBucket");
        return;
      }
      switch (ex.getRequestMethod()) {
        case "PUT" -> put(ex, bucket, key);
        case "GET" -> {
          if (key.isEmpty()) {
            list(ex, bucket);
          } else {
            get(ex, bucket, key);
          }
        }
        default -> error(ex, 405, "MethodNotAllowed");
      }
    }
  }

  private synchronized void put(HttpExchange ex, String bucket, String key) throws IOException {
    var h = ex.getRequestHeaders();
    byte[] raw = ex.getRequestBody().readAllBytes();
    String body =
        h.getFirst("x-amz-decoded-content-length") != null
            ? dechunk(raw)
            : new String(raw, StandardCharsets.UTF_8);
    String mode = h.getFirst("x-amz-object-lock-mode");
    String until = h.getFirst("x-amz-object-lock-retain-until-date");
    if (mode != null || until != null) {
      boolean checksum =
          h.getFirst("Content-MD5") != null
              || h.keySet().stream()
                  .anyMatch(n -> n.toLowerCase(Locale.ROOT).startsWith("x-amz-checksum-"))
              || h.getFirst("x-amz-trailer") != null;
      if (!buckets.get(bucket)
          || mode == null
          || until == null
          || !(mode.equals("GOVERNANCE") || mode.equals("COMPLIANCE"))
          || !checksum
          || Instant.parse(until).isBefore(Instant.now())) {
        error(ex, 400, "InvalidRequest");
        return;
      }
    }
    if ("*".equals(h.getFirst("If-None-Match")) && objects.get(bucket).containsKey(key)) {
      error(ex, 412, "PreconditionFailed");
      return;
    }
    StoredObject existing = objects.get(bucket).get(key);
    if (existing != null && existing.lockMode().isPresent()) {
      error(ex, 403, "AccessDenied");
      return;
    }
    objects
        .get(bucket)
        .put(
            key,
            new StoredObject(
                body, Optional.ofNullable(mode), Optional.ofNullable(until).map(Instant::parse)));
    puts.incrementAndGet();
    ex.getResponseHeaders().add("ETag", "\"" + Integer.toHexString(body.hashCode()) + "\"");
    ex.sendResponseHeaders(200, -1);
  }

  private synchronized void get(HttpExchange ex, String bucket, String key) throws IOException {
    StoredObject o = objects.get(bucket).get(key);
    if (o == null) {
      error(ex, 404, "NoSuchKey");
      return;
    }
    send(ex, 200, o.body(), "application/octet-stream");
  }

  private synchronized void list(HttpExchange ex, String bucket) throws IOException {
    String query = Optional.ofNullable(ex.getRequestURI().getRawQuery()).orElse("");
    if (!query.contains("list-type=2")) {
      error(ex, 400, "InvalidArgument");
      return;
    }
    String prefix = "";
    for (String part : query.split("&")) {
      if (part.startsWith("prefix=")) {
        prefix = URLDecoder.decode(part.substring(7), StandardCharsets.UTF_8);
      }
    }
    StringBuilder xml =
        new StringBuilder(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>"
                + bucket
                + "</Name><Prefix>"
                + prefix
                + "</Prefix><IsTruncated>false</IsTruncated>");
    int count = 0;
    for (Map.Entry<String, StoredObject> e : objects.get(bucket).entrySet()) {
      if (e.getKey().startsWith(prefix)) {
        count++;
        xml.append("<Contents><Key>")
            .append(e.getKey())
            .append("</Key><Size>")
            .append(e.getValue().body().length())
            .append("</Size></Contents>");
      }
    }
    xml.append("<KeyCount>").append(count).append("</KeyCount></ListBucketResult>");
    send(ex, 200, xml.toString(), "application/xml");
  }

  /** {@code aws-chunked}: hex size[;extensions] CRLF data CRLF ... 0 CRLF trailers. */
  private static String dechunk(byte[] raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = 0;
    while (i < raw.length) {
      int lineEnd = indexOf(raw, i);
      String header = new String(raw, i, lineEnd - i, StandardCharsets.US_ASCII);
      int size = Integer.parseInt(header.split(";")[0].trim(), 16);
      if (size == 0) {
        break;
      }
      out.write(raw, lineEnd + 2, size);
      i = lineEnd + 2 + size + 2;
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static int indexOf(byte[] raw, int from) {
    for (int i = from; i < raw.length - 1; i++) {
      if (raw[i] == '\r' && raw[i + 1] == '\n') {
        return i;
      }
    }
    throw new IllegalArgumentException("malformed aws-chunked body");
  }

  private static void error(HttpExchange ex, int status, String code) throws IOException {
    send(
        ex,
        status,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>"
            + code
            + "</Code><Message>"
            + code
            + "</Message></Error>",
        "application/xml");
  }

  private static void send(HttpExchange ex, int status, String body, String type)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
