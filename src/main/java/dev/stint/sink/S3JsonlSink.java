package dev.stint.sink;

import dev.stint.audit.AuditRecord;
import dev.stint.config.CheckpointConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * One JSONL object per batch, {@code PREFIX/audit-<first seq>-<last seq>.jsonl} (seqs in 20 digits,
 * so keys sort in order), each line an event exactly as the JSONL export writes it, so the hash
 * check in docs/audit.md runs on the objects in key order. A batch resent after a lost answer finds
 * its object there ({@code If-None-Match: *}) and counts as delivered.
 */
public final class S3JsonlSink implements Sink {
  private final String name;
  private final CheckpointConfig.S3 where;
  private final S3Client s3;

  S3JsonlSink(String name, CheckpointConfig.S3 where, S3Client s3) {
    this.name = name;
    this.where = where;
    this.s3 = s3;
  }

  /** With the SDK's default credential chain. */
  public static S3JsonlSink of(String name, CheckpointConfig.S3 where) {
    return new S3JsonlSink(
        name, where, client(where, DefaultCredentialsProvider.builder().build()));
  }

  static S3Client client(CheckpointConfig.S3 where, AwsCredentialsProvider credentials) {
    var builder =
        S3Client.builder()
            .httpClient(Apache5HttpClient.builder().build())
            .credentialsProvider(credentials)
            .region(Region.of(where.region().orElse("us-east-1")));
    where.endpoint().ifPresent(e -> builder.endpointOverride(e).forcePathStyle(true));
    return builder.build();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void deliver(List<AuditRecord> batch) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (AuditRecord r : batch) {
      body.write(AuditJson.of(r));
      body.write('\n');
    }
    String prefix = where.prefix();
    String key =
        (prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/")
            + String.format(
                "audit-%020d-%020d.jsonl", batch.get(0).seq(), batch.get(batch.size() - 1).seq());
    try {
      s3.putObject(
          PutObjectRequest.builder()
              .bucket(where.bucket())
              .key(key)
              .contentType("application/x-ndjson")
              .ifNoneMatch("*")
              .build(),
          RequestBody.fromBytes(body.toByteArray()));
    } catch (S3Exception e) {
      if (e.statusCode() != 412) {
        throw new IOException("sink " + name + ": S3 answered " + e.statusCode());
      }
    } catch (SdkException e) {
      throw new IOException("sink " + name + ": " + e.getClass().getSimpleName());
    }
  }

  @Override
  public void close() {
    s3.close();
  }
}
