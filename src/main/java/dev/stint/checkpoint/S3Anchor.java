package dev.stint.checkpoint;

import dev.stint.config.CheckpointConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Checkpoints as objects under a key prefix. Each put is conditional ({@code If-None-Match: *}), so
 * an existing object is never replaced; with Object Lock configured each object also carries its
 * lock mode and retain-until date, so not even the bucket's owner can delete it early ({@code
 * COMPLIANCE}).
 */
public final class S3Anchor implements Anchor.Objects, AutoCloseable {
  private final CheckpointConfig.S3 config;
  private final S3Client s3;
  private final Clock clock;

  S3Anchor(CheckpointConfig.S3 config, S3Client s3, Clock clock) {
    this.config = config;
    this.s3 = s3;
    this.clock = clock;
  }

  /** With the SDK's default credential chain (environment, profile, container or instance role). */
  public static S3Anchor of(CheckpointConfig.S3 config, Clock clock) {
    return new S3Anchor(
        config,
        client(config.endpoint(), config.region(), DefaultCredentialsProvider.builder().build()),
        clock);
  }

  static S3Client client(
      Optional<URI> endpoint, Optional<String> region, AwsCredentialsProvider credentials) {
    var builder =
        S3Client.builder()
            .httpClient(Apache5HttpClient.builder().build())
            .credentialsProvider(credentials)
            .region(Region.of(region.orElse("us-east-1")));
    // S3-compatible stores usually answer on one host for every bucket: path-style addressing.
    endpoint.ifPresent(e -> builder.endpointOverride(e).forcePathStyle(true));
    return builder.build();
  }

  @Override
  public String id() {
    return config.id();
  }

  private String key(Checkpoint checkpoint) {
    return key(checkpoint.fileName());
  }

  private String key(String name) {
    String prefix = config.prefix();
    return (prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/") + name;
  }

  /** Conditional (never replaces), and locked as configured. */
  private PutObjectRequest.Builder put(String key, String contentType) {
    var put =
        PutObjectRequest.builder()
            .bucket(config.bucket())
            .key(key)
            .contentType(contentType)
            .ifNoneMatch("*");
    if (config.lockMode().isPresent()) {
      put.objectLockMode(ObjectLockMode.fromValue(config.lockMode().get()))
          .objectLockRetainUntilDate(clock.instant().plus(config.retention().orElseThrow()));
    }
    return put;
  }

  @Override
  public void put(String name, Path file) throws IOException {
    try {
      s3.putObject(put(key(name), "application/octet-stream").build(), RequestBody.fromFile(file));
    } catch (S3Exception e) {
      if (e.statusCode() == 412 || e.statusCode() == 409) {
        try (InputStream in = open(name)) {
          if (DirectoryAnchor.sha256(in).equals(DirectoryAnchor.sha256(file))) {
            return;
          }
        }
        throw new IOException(id() + " already holds a different " + name + "; not replaced");
      }
      throw new IOException(id() + ": " + code(e));
    } catch (SdkException e) {
      throw new IOException(id() + ": " + e.getClass().getSimpleName());
    }
  }

  @Override
  public InputStream open(String name) throws IOException {
    try {
      return s3.getObject(
          GetObjectRequest.builder().bucket(config.bucket()).key(key(name)).build());
    } catch (S3Exception e) {
      throw new IOException(id() + ": " + code(e));
    } catch (SdkException e) {
      throw new IOException(id() + ": " + e.getClass().getSimpleName());
    }
  }

  @Override
  public void write(Checkpoint checkpoint) throws IOException {
    var put = put(key(checkpoint), "application/jose");
    try {
      s3.putObject(put.build(), RequestBody.fromString(checkpoint.jws()));
    } catch (S3Exception e) {
      if (e.statusCode() == 412 || e.statusCode() == 409) {
        sameOrRefuse(checkpoint);
        return;
      }
      throw new IOException(id() + ": " + code(e));
    } catch (SdkException e) {
      throw new IOException(id() + ": " + e.getClass().getSimpleName());
    }
  }

  private void sameOrRefuse(Checkpoint checkpoint) throws IOException {
    String existing = get(key(checkpoint));
    if (!existing.strip().equals(checkpoint.jws())) {
      throw new IOException(
          id()
              + " already holds a different checkpoint at seq "
              + checkpoint.seq()
              + "; not replaced");
    }
  }

  private String get(String key) throws IOException {
    try {
      return s3.getObjectAsBytes(
              GetObjectRequest.builder().bucket(config.bucket()).key(key).build())
          .asUtf8String();
    } catch (S3Exception e) {
      throw new IOException(id() + ": " + code(e));
    } catch (SdkException e) {
      throw new IOException(id() + ": " + e.getClass().getSimpleName());
    }
  }

  @Override
  public List<String> readAll() throws IOException {
    List<String> keys = new ArrayList<>();
    try {
      for (S3Object o :
          s3.listObjectsV2Paginator(
                  ListObjectsV2Request.builder()
                      .bucket(config.bucket())
                      .prefix(config.prefix())
                      .build())
              .contents()) {
        String name = o.key().substring(o.key().lastIndexOf('/') + 1);
        if (name.startsWith("checkpoint-") && name.endsWith(".jws")) {
          keys.add(o.key());
        }
      }
    } catch (S3Exception e) {
      throw new IOException(id() + ": " + code(e));
    } catch (SdkException e) {
      throw new IOException(id() + ": " + e.getClass().getSimpleName());
    }
    keys.sort(null);
    List<String> out = new ArrayList<>();
    for (String key : keys) {
      out.add(get(key).strip());
    }
    return out;
  }

  /** The S3 error code only: messages can echo request details. */
  private static String code(S3Exception e) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    return (code == null ? "error" : code) + " (" + e.statusCode() + ")";
  }

  @Override
  public void close() {
    s3.close();
  }
}
