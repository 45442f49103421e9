package dev.stint.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Cached {@code credential_process} answers, one 0600 file per server and profile under the cache
 * directory, used while more than {@link #MIN_REMAINING} of validity remain.
 *
 * <p>AWS tools run {@code stint credentials} at every process start, so this class is also the
 * cached fast path (see {@code app.Main}): it must load no JSON or HTTP classes. The file holds
 * exactly the JSON printed; the expiry is found by a plain text search for the one field
 * stint itself wrote.
 */
public final class CredentialCache {
  /** Cached credentials closer than this to expiring are fetched again. */
  public static final Duration MIN_REMAINING = Duration.ofMinutes(5);
  private static final String EXPIRATION = "\"Expiration\":\"";

  private final Path dir;

  public CredentialCache(Path cacheDir) {
    this.dir = cacheDir.resolve("aws");
  }

  /** The cached JSON when it is still good at {@code now}. Unreadable files count as a miss. */
  public Optional<String> read(String server, String profile, Instant now) {
    Path file = file(server, profile);
    try {
      if (!Files.isRegularFile(file)) {
        return Optional.empty();
      }
      String json = Files.readString(file, StandardCharsets.UTF_8);
      return usable(json, now) ? Optional.of(json) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Stores the JSON unless it would never be used; failures to cache are not failures to serve. */
  public boolean write(String server, String profile, String json, Instant now) {
    if (!usable(json, now)) {
      return false;
    }
    try {
      PrivateFiles.ensurePrivateDir(dir.getParent());
      PrivateFiles.write(file(server, profile), json);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Forgets the cached credentials (the server refused: they must not be served again). */
  public void delete(String server, String profile) {
    try {
      Files.deleteIfExists(file(server, profile));
    } catch (IOException e) {
      // the next read of an expired or refused file is a miss anyway
    }
  }

  Path file(String server, String profile) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256")
          .digest((server + "\n" + profile).getBytes(StandardCharsets.UTF_8));
      return dir.resolve(HexFormat.of().formatHex(hash, 0, 16) + ".json");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  static boolean usable(String json, Instant now) {
    int start = json.indexOf(EXPIRATION);
    if (start < 0) {
      return false;
    }
    start += EXPIRATION.length();
    int end = json.indexOf('"', start);
    try {
      return end > start && Instant.parse(json.substring(start, end)).isAfter(now.plus(MIN_REMAINING));
    } catch (DateTimeParseException e) {
      return false;
    }
  }
}
