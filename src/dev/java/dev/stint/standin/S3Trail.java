package dev.stint.standin;

import dev.stint.standin.RestServer.Reply;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DEVELOPMENT AND TEST ONLY: what CloudTrail records of one call a session made to the S3 stand-in,
 * from S3's own list of what it logs. {@code ListBuckets} is a management event (in CloudTrail's
 * event history); reading a bucket's objects is a data event, logged only by a trail whose
 * selectors take S3 objects: {@code ListObjects} (a {@code ListObjectsV2} call is recorded under
 * that name, its objects named by prefix), {@code GetObject}, {@code HeadObject}. A refused call is
 * recorded with its error code, as CloudTrail records it.
 */
final class S3Trail {
  private static final Pattern CODE = Pattern.compile("<Code>([^<]+)</Code>");

  private S3Trail() {}

  /**
   * One call, as the stand-in answered it: the session that signed it, its method and decoded path
   * with the bucket and key, the query, the signature's region, the caller's address and agent, the
   * host it was sent to, when, and the reply.
   */
  record Call(
      StsDocuments.Session session,
      String method,
      String bucket,
      String key,
      Map<String, String> query,
      String region,
      String sourceIp,
      String userAgent,
      String host,
      Instant at,
      Reply reply) {}

  /** The record of {@code c}; empty for an operation the stand-in does not implement. */
  static Optional<CloudTrailEvent> event(Call c) {
    String name = name(c);
    if (name == null) {
      return Optional.empty();
    }
    CloudTrailEvent.Builder b =
        CloudTrailEvent.builder("s3.amazonaws.com", name)
            .time(c.at())
            .region(c.region())
            .accessKeyId(c.session().credentials().accessKeyId())
            .sourceIp(c.sourceIp())
            .userAgent(c.userAgent())
            .readOnly(true)
            .parameter("Host", c.host());
    String arn = c.session().role().arn();
    String[] roleAndSession = arn.substring(arn.indexOf(":assumed-role/") + 14).split("/", 2);
    b.assumedRole(roleAndSession[0], roleAndSession.length > 1 ? roleAndSession[1] : "session");
    c.session().context().sourceIdentity().ifPresent(b::sourceIdentity);
    error(c.reply()).ifPresent(b::errorCode);
    if (name.equals("ListBuckets")) {
      return Optional.of(b.build());
    }
    b.data().parameter("bucketName", c.bucket());
    String bucketArn = "arn:aws:s3:::" + c.bucket();
    if (name.equals("ListObjects")) {
      String prefix = c.query().getOrDefault("prefix", "");
      c.query().forEach((k, v) -> b.parameter(k, v));
      b.resource("AWS::S3::Object", bucketArn + "/" + prefix);
    } else {
      b.parameter("key", c.key()).resource("AWS::S3::Object", bucketArn + "/" + c.key());
    }
    return Optional.of(b.resource("AWS::S3::Bucket", bucketArn).build());
  }

  /** CloudTrail's name for the operation, or null for one the stand-in does not implement. */
  private static String name(Call c) {
    if (c.reply().status() == 501) {
      return null;
    }
    if (c.bucket().isEmpty()) {
      return "ListBuckets";
    }
    if (c.key().isEmpty()) {
      return "ListObjects";
    }
    return c.method().equals("HEAD") ? "HeadObject" : "GetObject";
  }

  /** A refusal's code: S3's document names it; a {@code HEAD}'s has no body, so its status does. */
  private static Optional<String> error(Reply reply) {
    if (reply.status() < 300) {
      return Optional.empty();
    }
    Matcher m = CODE.matcher(reply.body());
    if (m.find()) {
      return Optional.of(m.group(1));
    }
    return Optional.of(
        switch (reply.status()) {
          case 403 -> "AccessDenied";
          case 404 -> "NoSuchKey";
          default -> "InternalError";
        });
  }
}
