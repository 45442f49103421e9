package dev.stint.standin;

import dev.stint.standin.RestServer.Reply;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * DEVELOPMENT AND TEST ONLY: Amazon S3's REST API for reading a bucket, path-style ({@code
 * /BUCKET/KEY}, as the AWS CLI addresses an {@code --endpoint-url} that is an IP address): {@code
 * ListBuckets} ({@code GET /}), {@code ListObjectsV2} ({@code GET /BUCKET?list-type=2}), {@code
 * GetObject} and {@code HeadObject}. Every call is signed with session credentials the STS stand-in
 * minted ({@link S3Auth}) and then judged as IAM judges it ({@link IamEvaluator}): an explicit deny
 * in the role's policies or the session policy, or no allow, is {@code 403 AccessDenied}. The
 * buckets belong to one account; a session of another account is denied (no bucket policy grants
 * it). Errors are S3's XML {@code <Error>} documents; a {@code HEAD}'s have no body. Anything else
 * is {@code 501 NotImplemented}. Each call a session made, answered or refused, is handed to the
 * trail it logs to ({@link #logTo}) as CloudTrail records it ({@link S3Trail}): reading a bucket is
 * a data event, listing the buckets a management event.
 */
public final class S3StandIn implements AutoCloseable {
  static final String NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";
  private static final int MAX_KEYS = 1000;

  /**
   * An object's sub-resources, other operations than {@code GetObject}; other parameters (the
   * {@code x-id} some SDKs add, {@code response-content-type}) leave it a read of the object.
   */
  private static final Set<String> SUBRESOURCES =
      Set.of(
          "acl",
          "attributes",
          "legal-hold",
          "retention",
          "tagging",
          "torrent",
          "uploadId",
          "uploads",
          "restore",
          "select");

  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

  /** A bucket: its region, when it was created, and its objects by key. */
  record Bucket(String region, Instant created, NavigableMap<String, StoredObject> objects) {}

  private final S3Auth auth;
  private final String account;
  private final Function<String, List<String>> rolePolicies;
  private final Clock clock;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final RestServer server;
  private volatile BiConsumer<String, CloudTrailEvent> trail = (account, event) -> {};

  /**
   * An S3 of {@code account}'s buckets, whose callers are the sessions {@code sessions} finds by
   * access key id, judged with the policies {@code rolePolicies} lists for a role name of that
   * account (its inline policies and attached managed policies' default versions).
   */
  public S3StandIn(
      Function<String, Optional<StsDocuments.Session>> sessions,
      String account,
      Function<String, List<String>> rolePolicies,
      Clock clock) {
    this.auth = new S3Auth(sessions, clock);
    this.account = account;
    this.rolePolicies = rolePolicies;
    this.clock = clock;
    this.server = new RestServer(this::answer, S3StandIn::slowDown);
  }

  /** The base URL, e.g. {@code http://127.0.0.1:PORT}: the CLI's {@code --endpoint-url}. */
  public URI uri() {
    return server.uri();
  }

  /**
   * Hands each call a session makes to {@code trail}, with the session's account, as CloudTrail
   * records it there: a trail logging S3 data events, and the account's event history for {@code
   * ListBuckets}.
   */
  public S3StandIn logTo(BiConsumer<String, CloudTrailEvent> trail) {
    this.trail = trail;
    return this;
  }

  /** Creates an empty bucket in {@code region}. */
  public S3StandIn bucket(String name, String region) {
    buckets.putIfAbsent(
        name,
        new Bucket(
            region,
            clock.instant().truncatedTo(ChronoUnit.SECONDS),
            new ConcurrentSkipListMap<>()));
    return this;
  }

  /** Writes a text object into an existing bucket. */
  public S3StandIn object(String bucket, String key, String body, String contentType) {
    buckets
        .get(bucket)
        .objects()
        .put(
            key,
            new StoredObject(body, contentType, clock.instant().truncatedTo(ChronoUnit.SECONDS)));
    return this;
  }

  private Reply answer(HttpServerRequest http) {
    boolean head = http.method() == HttpMethod.HEAD;
    Map<String, String> query;
    try {
      query = QueryServer.form(http.query());
    } catch (IllegalArgumentException e) {
      return error(head, 400, "InvalidArgument", "The query string does not decode.", Map.of());
    }
    QueryRequest request =
        new QueryRequest(http.method().name(), http.path(), query, LoopbackServer.headers(http));
    S3Auth.Caller caller = auth.caller(request);
    if (caller.refusal() != null) {
      Refusal r = caller.refusal();
      return error(head, r.status(), r.code(), r.message(), caller.detail());
    }
    String path = decodePath(http.path());
    Reply reply = operation(http, request, caller.session(), path);
    int slash = path.indexOf('/', 1);
    S3Trail.event(
            new S3Trail.Call(
                caller.session(),
                http.method().name(),
                path.equals("/") ? "" : slash < 0 ? path.substring(1) : path.substring(1, slash),
                slash < 0 ? "" : path.substring(slash + 1),
                request.params(),
                SigV4.region(request),
                http.remoteAddress() == null ? "127.0.0.1" : http.remoteAddress().host(),
                Optional.ofNullable(http.getHeader("User-Agent")).orElse(""),
                Optional.ofNullable(http.getHeader("Host")).orElse(""),
                clock.instant(),
                reply))
        .ifPresent(event -> trail.accept(caller.session().role().account(), event));
    return reply;
  }

  /** The answer to a signed call of {@code session} for {@code path} (decoded). */
  private Reply operation(
      HttpServerRequest http, QueryRequest request, StsDocuments.Session session, String path) {
    boolean head = http.method() == HttpMethod.HEAD;
    Map<String, String> query = request.params();
    if (!head && http.method() != HttpMethod.GET) {
      return notImplemented(head);
    }
    if (path.equals("/")) {
      // ListBuckets' own parameters (max-buckets, continuation-token, prefix) narrow nothing here.
      return listBuckets(session, head);
    }
    int slash = path.indexOf('/', 1);
    String name = slash < 0 ? path.substring(1) : path.substring(1, slash);
    String key = slash < 0 ? "" : path.substring(slash + 1);
    Bucket bucket = buckets.get(name);
    if (bucket == null) {
      return error(
          head,
          404,
          "NoSuchBucket",
          "The specified bucket does not exist",
          Map.of("BucketName", name));
    }
    String region = SigV4.region(request);
    if (!region.equals(bucket.region())) {
      return error(
          head,
          400,
          "AuthorizationHeaderMalformed",
          "The authorization header is malformed; the region '"
              + region
              + "' is wrong; expecting '"
              + bucket.region()
              + "'",
          Map.of("Region", bucket.region()));
    }
    if (key.isEmpty()) {
      return "2".equals(query.get("list-type")) && !head
          ? listObjects(session, name, bucket, query)
          : notImplemented(head);
    }
    return Collections.disjoint(query.keySet(), SUBRESOURCES)
        ? getObject(session, name, bucket, key, head)
        : notImplemented(head);
  }

  private Reply listBuckets(StsDocuments.Session session, boolean head) {
    if (!allowed(session, "s3:ListAllMyBuckets", "*")) {
      return accessDenied(head);
    }
    StringBuilder xml =
        new StringBuilder(
            "<ListAllMyBucketsResult xmlns=\""
                + NAMESPACE
                + "\"><Owner><ID>"
                + owner()
                + "</ID>"
                + "</Owner><Buckets>");
    new TreeMap<>(buckets)
        .forEach(
            (name, b) ->
                xml.append("<Bucket><Name>")
                    .append(Xml.escape(name))
                    .append("</Name><CreationDate>")
                    .append(isoMillis(b.created()))
                    .append("</CreationDate></Bucket>"));
    return xml(xml.append("</Buckets></ListAllMyBucketsResult>").toString());
  }

  private Reply listObjects(
      StsDocuments.Session session, String name, Bucket bucket, Map<String, String> query) {
    if (!allowed(session, "s3:ListBucket", "arn:aws:s3:::" + name)) {
      return accessDenied(false);
    }
    S3Listing listing = S3Listing.of(bucket.objects(), query, MAX_KEYS);
    if (listing.refusal() != null) {
      return error(false, 400, "InvalidArgument", listing.refusal(), Map.of());
    }
    return xml(listing.xml(name, this::isoMillis));
  }

  private Reply getObject(
      StsDocuments.Session session, String name, Bucket bucket, String key, boolean head) {
    if (!allowed(session, "s3:GetObject", "arn:aws:s3:::" + name + "/" + key)) {
      return accessDenied(head);
    }
    StoredObject object = bucket.objects().get(key);
    if (object == null) {
      // S3 says whether a key exists only to a caller who may list the bucket.
      return allowed(session, "s3:ListBucket", "arn:aws:s3:::" + name)
          ? error(head, 404, "NoSuchKey", "The specified key does not exist.", Map.of("Key", key))
          : accessDenied(head);
    }
    Map<String, String> headers = new LinkedHashMap<>(amzHeaders());
    headers.put("Content-Type", object.contentType());
    headers.put("Content-Length", String.valueOf(object.size()));
    headers.put("ETag", object.etag());
    headers.put("Last-Modified", HTTP_DATE.format(object.modified()));
    headers.put("Accept-Ranges", "bytes");
    return new Reply(200, headers, head ? "" : object.body());
  }

  /** IAM's decision: the session must be of the buckets' account, and its policies allow. */
  private boolean allowed(StsDocuments.Session session, String action, String resource) {
    if (!session.role().account().equals(account) || session.managedPolicies()) {
      // No bucket policy grants another account; managed session policies are not modelled.
      return false;
    }
    IamEvaluator.Request request =
        new IamEvaluator.Request(action, resource, session.context(), clock.instant());
    return IamEvaluator.decide(
            request, rolePolicies.apply(session.role().roleName()), session.policy())
        == IamEvaluator.Decision.ALLOW;
  }

  private String owner() {
    return HexFormat.of().formatHex(account.getBytes(StandardCharsets.UTF_8));
  }

  private String isoMillis(Instant at) {
    return at.truncatedTo(ChronoUnit.MILLIS).toString().replaceFirst("(:\\d\\d)Z$", "$1.000Z");
  }

  /** A path's percent-escapes decoded; a {@code +} in a path is itself, not a space. */
  private static String decodePath(String raw) {
    return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static Reply xml(String body) {
    Map<String, String> headers = new LinkedHashMap<>(amzHeaders());
    headers.put("Content-Type", "application/xml");
    return new Reply(200, headers, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + body);
  }

  private static Reply accessDenied(boolean head) {
    return error(head, 403, "AccessDenied", "Access Denied", Map.of());
  }

  private static Reply notImplemented(boolean head) {
    return error(
        head,
        501,
        "NotImplemented",
        "A header you provided implies functionality that is not implemented",
        Map.of());
  }

  /** S3's error document; a {@code HEAD} gets the status alone, as S3 answers it. */
  static Reply error(
      boolean head, int status, String code, String message, Map<String, String> detail) {
    Map<String, String> headers = new LinkedHashMap<>(amzHeaders());
    headers.put("Content-Type", "application/xml");
    if (head) {
      return new Reply(status, headers, "");
    }
    StringBuilder xml =
        new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>")
            .append(code)
            .append("</Code><Message>")
            .append(Xml.escape(message))
            .append("</Message>");
    detail.forEach(
        (k, v) ->
            xml.append('<')
                .append(k)
                .append('>')
                .append(Xml.escape(v))
                .append("</")
                .append(k)
                .append('>'));
    xml.append("<RequestId>")
        .append(headers.get("x-amz-request-id"))
        .append("</RequestId><HostId>")
        .append(headers.get("x-amz-id-2"))
        .append("</HostId></Error>");
    return new Reply(status, headers, xml.toString());
  }

  private static Map<String, String> amzHeaders() {
    String id = StandInReply.requestId().replace("-", "").substring(0, 16).toUpperCase(Locale.ROOT);
    return Map.of("x-amz-request-id", id, "x-amz-id-2", StandInReply.requestId());
  }

  private static Reply slowDown(Duration retryAfter) {
    return error(false, 503, "SlowDown", "Please reduce your request rate.", Map.of());
  }

  @Override
  public void close() {
    server.close();
  }
}
