package dev.stint.cli.completion;

import dev.stint.cli.CliEnvironment;
import dev.stint.cli.PrivateFiles;
import dev.stint.cli.credentials.CredentialCache;
import dev.stint.common.Fingerprints;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What {@code stint __complete} last read from the server, kept for {@link #TTL} so that pressing
 * TAB again does not wait on the network: one 0600 file per server, person and kind of candidate
 * under {@code completion/} in the cache directory. The first line is when it was read, the rest
 * one candidate a line. An entry is used only while it is younger than the TTL by the injected
 * clock, and only when it and its directory are private ({@link CredentialCache#isPrivate}):
 * request ids say what someone is doing.
 */
final class CompletionCache {
  /** Short: a request filed or decided a minute ago should show up, or stop showing up. */
  static final Duration TTL = Duration.ofSeconds(60);

  private final Path dir;
  private final Path cacheDir;
  private final CliEnvironment env;

  CompletionCache(CliEnvironment env) {
    this.env = env;
    this.cacheDir = env.cacheDir();
    this.dir = cacheDir.resolve("completion");
  }

  /**
   * The file of one server, owner and kind: named by a digest, so neither the server nor whose
   * entry it is can be read off the directory listing.
   */
  Path file(String server, String owner, String kind) {
    String key = server + "\n" + owner + "\n" + kind;
    return dir.resolve(Fingerprints.sha256Hex(key.getBytes(StandardCharsets.UTF_8)));
  }

  /** The candidates read less than {@link #TTL} ago; empty when there are none that fresh. */
  Optional<List<String>> read(Path file) {
    try {
      if (!CredentialCache.isPrivate(dir) || !CredentialCache.isPrivate(file)) {
        return Optional.empty();
      }
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      if (lines.isEmpty()) {
        return Optional.empty();
      }
      Instant read = Instant.parse(lines.get(0));
      Instant now = env.clock().instant();
      // An entry from the future (a clock set back) is not trusted to be fresh.
      boolean fresh = !read.isAfter(now) && now.isBefore(read.plus(TTL));
      // Filtered again: the shells insert a candidate as it is, so only safe words ever reach one.
      return fresh
          ? Optional.of(CompletionKind.safe(lines.subList(1, lines.size())))
          : Optional.empty();
    } catch (IOException | DateTimeException e) {
      return Optional.empty();
    }
  }

  /** Keeps the candidates; a cache that cannot be written only means the next TAB asks again. */
  void write(Path file, List<String> candidates) {
    StringBuilder content = new StringBuilder(env.clock().instant().toString()).append('\n');
    candidates.forEach(c -> content.append(c).append('\n'));
    try {
      PrivateFiles.ensurePrivateDir(cacheDir);
      PrivateFiles.ensurePrivateDir(dir);
      PrivateFiles.write(file, content.toString());
    } catch (IOException e) {
      // Nothing to tell: completion prints candidates or nothing.
    }
  }
}
