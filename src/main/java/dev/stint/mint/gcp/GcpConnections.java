package dev.stint.mint.gcp;

import com.google.api.client.http.HttpTransport;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.auth.oauth2.GoogleCredentials;
import dev.stint.cloud.GcpTarget;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How stint reaches Google: HTTP transports bounded by a per-mint {@link Deadline}, and stint's own
 * Google identity, Application Default Credentials, which is loaded on first use so a server
 * without any impersonation profile needs no Google credentials at all.
 */
public final class GcpConnections implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GcpConnections.class);
  static final String CLOUD_PLATFORM = GcpTarget.SCOPE_PREFIX + "cloud-platform";

  /** Loads stint's own Google credentials; {@link GoogleCredentials#getApplicationDefault()}. */
  @FunctionalInterface
  public interface SourceCredentials {
    GoogleCredentials load() throws IOException;
  }

  private final SourceCredentials source;
  private final ScheduledExecutorService timer;
  private GoogleCredentials loaded;

  /**
   * @param source stint's Google identity for impersonation mode
   */
  public GcpConnections(SourceCredentials source) {
    this.source = source;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "gcp-mint-deadline");
              t.setDaemon(true);
              return t;
            });
  }

  /** Production: Application Default Credentials. */
  public static GcpConnections applicationDefault() {
    return new GcpConnections(GoogleCredentials::getApplicationDefault);
  }

  /** A transport whose connections all end when {@code deadline} passes. */
  HttpTransport transport(Deadline deadline, Optional<SSLContext> trust) {
    NetHttpTransport.Builder builder =
        new NetHttpTransport.Builder().setConnectionFactory(deadline);
    trust.ifPresent(t -> builder.setSslSocketFactory(t.getSocketFactory()));
    return builder.build();
  }

  Deadline deadline(Duration timeout) {
    return new Deadline(timer, timeout);
  }

  /**
   * stint's own Google credentials, scoped for the IAM Credentials API when the kind of credential
   * needs explicit scopes (service account keys do, the metadata server does not).
   */
  synchronized GoogleCredentials sourceCredentials() throws IOException {
    if (loaded == null) {
      GoogleCredentials credentials;
      try {
        credentials = source.load();
      } catch (IOException | RuntimeException e) {
        // Google's message says where it looked; it names files and variables, never a secret.
        LOG.warn(
            "stint's Google Application Default Credentials could not be loaded: {}",
            e.getMessage());
        throw e;
      }
      loaded =
          credentials.createScopedRequired()
              ? credentials.createScoped(List.of(CLOUD_PLATFORM))
              : credentials;
    }
    return loaded;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
