package dev.stint.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the policy when the directory's files change. A file-system watch wakes it promptly; it
 * also compares a hash of the files every {@code POLL} because watches miss some changes
 * (Kubernetes ConfigMaps swap a symlink, network file systems send no events). A change that does
 * not validate is refused and logged with every problem; the last good policy stays.
 */
public final class PolicyWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyWatcher.class);
  private static final long POLL_MS = 2_000;

  private final Path dir;
  private final PolicyLoader loader;
  private final PolicyInForce store;
  private final Consumer<PolicyReload> onReload;
  private String lastSeen;
  private WatchService watch;
  private Thread thread;

  public PolicyWatcher(
      Path dir, PolicyLoader loader, PolicyInForce store, Consumer<PolicyReload> onReload) {
    this.dir = dir;
    this.loader = loader;
    this.store = store;
    this.onReload = onReload;
    this.lastSeen = store.current().contentHash();
  }

  /** Starts watching in a daemon thread. */
  public synchronized void start() {
    try {
      watch = dir.getFileSystem().newWatchService();
      dir.register(
          watch,
          StandardWatchEventKinds.ENTRY_CREATE,
          StandardWatchEventKinds.ENTRY_MODIFY,
          StandardWatchEventKinds.ENTRY_DELETE);
    } catch (IOException e) {
      LOG.warn(
          "cannot watch {} ({}); checking it every {} ms instead", dir, e.getMessage(), POLL_MS);
    }
    thread = new Thread(this::run, "stint-policy-watcher");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        if (watch != null) {
          var key = watch.poll(POLL_MS, TimeUnit.MILLISECONDS);
          if (key != null) {
            key.pollEvents();
            key.reset();
            // Editors write in several steps; let the burst settle before reading.
            Thread.sleep(200);
          }
        } else {
          Thread.sleep(POLL_MS);
        }
        checkNow();
      } catch (InterruptedException | ClosedWatchServiceException e) {
        return;
      } catch (RuntimeException e) {
        LOG.error("policy watcher failed; will retry", e);
      }
    }
  }

  /**
   * Reloads if the files changed since the last attempt. Returns the attempt, or empty when nothing
   * changed. The same broken content is reported once, not on every poll.
   */
  public synchronized Optional<PolicyReload> checkNow() {
    List<Path> files = PolicyLoader.policyFiles(dir);
    String hash = hash(files);
    if (hash.equals(lastSeen)) {
      return Optional.empty();
    }
    lastSeen = hash;
    PolicyReload result;
    try {
      Policy next = loader.load(dir);
      refuseLeavingNoIssuer(store.current(), next);
      store.replace(next);
      result = new PolicyReload(next.files(), next.contentHash(), true, List.of());
      LOG.atInfo()
          .addKeyValue("hash", next.contentHash())
          .log("policy reloaded from {} file(s)", next.files().size());
    } catch (PolicyException e) {
      result = new PolicyReload(files, hash, false, e.problems());
      LOG.atError()
          .addKeyValue("problems", e.problems())
          .log("policy change refused, the last good policy stays in force: {}", e.getMessage());
    }
    onReload.accept(result);
    return Optional.of(result);
  }

  /**
   * A file rewritten in place is empty for a moment, and an empty policy file is valid: a reload
   * that read it then would refuse every sign-in. A policy in force with issuers is never replaced
   * by one with none; starting stint with such a policy is still possible, as it is deliberate.
   */
  private static void refuseLeavingNoIssuer(Policy current, Policy next) {
    if (!current.issuers().isEmpty() && next.issuers().isEmpty()) {
      throw new PolicyException(
          List.of(
              "issuers: the change would leave no issuer in force (it drops "
                  + String.join(", ", current.issuers().keySet())
                  + "), and every sign-in would be refused (a file read while it was being"
                  + " written?); to mean it, restart stint with that policy"));
    }
  }

  /** The same hash {@link PolicyLoader} computes; unreadable files hash as their absence. */
  private static String hash(List<Path> files) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (Path file : files) {
        digest.update((file.getFileName() + "\0").getBytes(StandardCharsets.UTF_8));
        try {
          digest.update(Files.readAllBytes(file));
        } catch (IOException e) {
          digest.update(("unreadable:" + e.getMessage()).getBytes(StandardCharsets.UTF_8));
        }
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public synchronized void close() {
    if (thread != null) {
      thread.interrupt();
    }
    if (watch != null) {
      try {
        watch.close();
      } catch (IOException e) {
        LOG.debug("closing the policy watch: {}", e.getMessage());
      }
    }
  }
}
