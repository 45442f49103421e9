package dev.stint.checkpoint;

import static dev.stint.testing.AuditTables.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.stint.config.CheckpointConfig;
import dev.stint.testing.AuditTables;
import dev.stint.testing.FakeS3;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The three anchors with real clients: a directory, S3 through the AWS SDK's {@code S3Client}
 * against {@link FakeS3}, and a webhook receiver, all on 127.0.0.1 port 0; deliveries that fail are
 * retried from the database until the anchor has them.
 */
class AnchorsTest {
  private FakeS3 s3;
  private HttpServer receiver;
  private final List<String> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger receiverFailures = new AtomicInteger();
  private Path dir;
  private S3Anchor bucket;
  private WebhookAnchor webhook;
  private CheckpointRig rig;

  @BeforeEach
  void setUp() throws Exception {
    s3 = FakeS3.start();
    s3.createBucket("audit-anchor", true);
    s3.createBucket("no-lock", false);
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    receiver.createContext(
        "/checkpoints",
        ex -> {
          try (ex) {
            boolean ok =
                "POST".equals(ex.getRequestMethod())
                    && "application/jose".equals(ex.getRequestHeaders().getFirst("Content-Type"))
                    && receiverFailures.getAndUpdate(n -> Math.max(0, n - 1)) == 0;
            if (ok) {
              received.add(
                  new String(ex.getRequestBody().readAllBytes(), StandardCharsets.US_ASCII));
            }
            ex.sendResponseHeaders(ok ? 204 : 500, -1);
          }
        });
    receiver.start();
    dir = CheckpointRig.tempDir();
    bucket = s3Anchor("audit-anchor", Optional.of("COMPLIANCE"));
    webhook =
        new WebhookAnchor(
            URI.create(
                "http://127.0.0.1:" + receiver.getAddress().getPort() + "/checkpoints?token=abc"),
            "webhook:test");
    rig = new CheckpointRig(3, List.of(new DirectoryAnchor(dir), bucket, webhook));
  }

  private S3Anchor s3Anchor(String name, Optional<String> lock) {
    CheckpointConfig.S3 config =
        new CheckpointConfig.S3(
            name,
            "stint/prod",
            Optional.of(s3.endpoint()),
            Optional.of("eu-west-1"),
            lock,
            lock.map(l -> Duration.ofDays(365)));
    return new S3Anchor(
        config,
        S3Anchor.client(
            config.endpoint(),
            config.region(),
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create("AKIDTEST", "secret-test"))),
        rig == null ? Clock.systemUTC() : rig.clock);
  }

  @AfterEach
  void tearDown() throws Exception {
    rig.close();
    bucket.close();
    receiver.stop(0);
    s3.close();
  }

  @Test
  void everyAnchorGetsTheSameSignedCheckpoints() throws Exception {
    rig.append(3);
    rig.round();
    rig.append(4);
    rig.round();

    List<String> files = new DirectoryAnchor(dir).readAll();
    assertThat(files).hasSize(2);
    assertThat(bucket.readAll()).isEqualTo(files);
    assertThat(received).isEqualTo(files);
    Checkpoint first = CheckpointClaims.verify(files.get(0), rig.keys.publicJwkSet());
    Checkpoint second = CheckpointClaims.verify(files.get(1), rig.keys.publicJwkSet());
    assertThat(first.seq()).isEqualTo(3);
    assertThat(first.prevDigest()).isEmpty();
    assertThat(second.seq()).isEqualTo(7);
    assertThat(second.prevDigest()).contains(first.digest());
    assertThat(second.kid()).isEqualTo(rig.keys.active().kid());
    assertThat(second.hash()).isEqualTo(rig.records().get(6).hash());
    assertThat(Files.list(dir).map(p -> p.getFileName().toString()))
        .containsExactly(
            "checkpoint-00000000000000000003.jws", "checkpoint-00000000000000000007.jws");
  }

  @Test
  void s3ObjectsCarryTheirObjectLock() throws Exception {
    rig.append(3);
    rig.round();
    Map<String, FakeS3.StoredObject> objects = s3.objects("audit-anchor");
    assertThat(objects).containsOnlyKeys("stint/prod/checkpoint-00000000000000000003.jws");
    FakeS3.StoredObject o = objects.values().iterator().next();
    assertThat(o.lockMode()).contains("COMPLIANCE");
    assertThat(o.retainUntil().orElseThrow())
        .isAfter(rig.clock.instant().plus(Duration.ofDays(364)));
  }

  @Test
  void aFailedDeliveryIsRetriedFromTheDatabaseUntilTheAnchorHasIt() throws Exception {
    s3.failNext(10);
    receiverFailures.set(1);
    rig.append(3);
    rig.round();
    assertThat(new DirectoryAnchor(dir).readAll()).hasSize(1);
    assertThat(s3.objects("audit-anchor")).isEmpty();
    assertThat(received).isEmpty();
    assertThat(await(rig.store.undelivered())).isEqualTo(2);
    assertThat(
            AuditTables.strings(
                rig.url,
                "SELECT anchor || ' ' || attempts || ' ' || last_error"
                    + " FROM audit_checkpoint_deliveries WHERE delivered_at IS NULL ORDER BY anchor"))
        .anySatisfy(
            s -> assertThat(s).startsWith("s3://audit-anchor/stint/prod 1 ").contains("(503)"))
        .anySatisfy(
            s ->
                assertThat(s)
                    .startsWith("webhook:test 1 ")
                    .contains("500")
                    .doesNotContain("token"));

    s3.failNext(0);
    rig.round();
    assertThat(received).as("not due before the back-off").isEmpty();
    rig.clock.advance(Duration.ofSeconds(10));
    rig.round();
    assertThat(received).hasSize(1);
    assertThat(s3.objects("audit-anchor")).hasSize(1);
    assertThat(await(rig.store.undelivered())).isZero();
    assertThat(rig.meters.counter("stint_audit_checkpoint_write_failures_total").count())
        .isEqualTo(2);
  }

  @Test
  void aDirectoryCheckpointIsNeverOverwritten() throws Exception {
    rig.append(3);
    rig.round();
    Checkpoint written =
        CheckpointClaims.verify(new DirectoryAnchor(dir).readAll().get(0), rig.keys.publicJwkSet());
    DirectoryAnchor again = new DirectoryAnchor(dir);
    again.write(written); // the same checkpoint again: a retry, accepted
    Checkpoint other =
        new CheckpointSigner("https://stint.test", rig.keys.active())
            .sign(3, "f".repeat(64), Instant.now(), Optional.empty());
    assertThatThrownBy(() -> again.write(other))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not replaced");
    assertThat(new DirectoryAnchor(dir).readAll()).containsExactly(written.jws());
    try (var files = Files.list(dir)) {
      assertThat(files).hasSize(1); // no temporary file left behind
    }
  }

  @Test
  void anS3CheckpointIsNeverOverwritten() throws Exception {
    rig.append(3);
    rig.round();
    Checkpoint other =
        new CheckpointSigner("https://stint.test", rig.keys.active())
            .sign(3, "f".repeat(64), Instant.now(), Optional.empty());
    assertThatThrownBy(() -> bucket.write(other))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not replaced");
    assertThat(s3.puts()).isEqualTo(1);
  }

  @Test
  void objectLockOnABucketWithoutItIsRefusedAndRetried() throws Exception {
    S3Anchor unlocked = s3Anchor("no-lock", Optional.of("GOVERNANCE"));
    Checkpoint c =
        new CheckpointSigner("https://stint.test", rig.keys.active())
            .sign(1, "a".repeat(64), Instant.now(), Optional.empty());
    assertThatThrownBy(() -> unlocked.write(c))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("InvalidRequest (400)");
    assertThatThrownBy(() -> s3Anchor("missing-bucket", Optional.empty()).write(c))
        .hasMessageContaining("NoSuchBucket (404)");
    unlocked.close();
  }

  @Test
  void twoReplicasSignOneCheckpointPerHead() throws Exception {
    Checkpointer other =
        new Checkpointer(
            rig.vertx,
            new Checkpointer.Parts(
                new CheckpointStore(rig.db.pool()),
                new CheckpointSigner("https://stint.test", rig.keys.active()),
                List.of(new DirectoryAnchor(dir), bucket, webhook)),
            new CheckpointConfig(3, Duration.ofSeconds(60), Duration.ofMinutes(1), List.of()),
            new SimpleMeterRegistry(),
            rig.clock);
    rig.append(3);
    var a = rig.checkpointer.round();
    var b = other.round();
    await(a);
    await(b);
    rig.round();
    await(other.round());
    assertThat(AuditTables.strings(rig.url, "SELECT count(*) FROM audit_checkpoints"))
        .containsExactly("1");
    assertThat(new DirectoryAnchor(dir).readAll()).hasSize(1);
    assertThat(received).hasSize(1);
    other.close();
  }
}
