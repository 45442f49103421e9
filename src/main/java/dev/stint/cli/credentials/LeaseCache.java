package dev.stint.cli.credentials;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The cached answers of {@code stint credentials} on a task lease ({@code --lease-file FILE} or
 * {@code STINT_LEASE_TOKEN}): AWS tools run a lease profile's {@code credential_process} at every
 * process start, and each run minted a new STS session. One 0600 file per server and lease, named
 * as a person's entries are ({@code <escaped server>__<escaped lease id>.json}) but in a directory
 * of its own, {@code leases/} beside the person's {@code aws/} under the cache directory:
 *
 * <ul>
 *   <li>No profile, parameter or login reaches a lease's entry, and no lease token a person's: the
 *       person's paths read {@code aws/} alone and the lease's {@code leases/} alone, and a lease
 *       entry's owner ({@link #owner}) begins {@code lease:}, which no login's fingerprint ({@code
 *       sha256:…}) does.
 *   <li>An entry is served only to the holder of the lease's token, read on every run: the lease id
 *       it names picks the entry, but an id is no secret (listings, the audit and the session's tag
 *       show it), so the entry's owner also holds the SHA-256 of the token, which must match.
 *       Entries that name only their lease ({@code lease:<id>}, as they once did) match no token
 *       and are minted again.
 *   <li>The lease token is never written, only its hash: an entry holds what {@code stint
 *       credentials} printed.
 *   <li>An entry is served until {@link CredentialCache#MIN_REMAINING} before its credentials
 *       expire, which the server makes the lease's end at the latest. Unlike a person's entry it is
 *       never checked with the server (its {@code checked_until} is its expiry): a lease token may
 *       only mint. A revoke ends it where it matters, in the cloud, which denies a revoked lease's
 *       sessions; on this machine {@code stint lease revoke}, a revoke of its grant and a mint
 *       refused for its token delete it too.
 * </ul>
 *
 * <p>Also the cached fast path's ({@link CachedCredentials}; the launcher's stint-cached applies
 * the same rules): no lambdas, regular expressions, string concatenation or JSON here.
 */
public final class LeaseCache {
  /** The directory of lease entries, under the cache directory. */
  static final String DIR = "leases";

  /** {@code LeaseToken}'s shape: {@code stl_}, the lease id's 24 characters, a dot, 43 more. */
  private static final String TOKEN_PREFIX = "stl_";

  private static final int ID_END = TOKEN_PREFIX.length() + 24;
  private static final int TOKEN_LENGTH = ID_END + 1 + 43;

  /** {@code LeaseToken}'s bound on a token file: one line, far less than this. */
  private static final long MAX_TOKEN_FILE = 1024;

  private final CredentialCache cache;

  /** The running user's lease entries under {@code cacheDir} (the CLI's cache directory). */
  public LeaseCache(Path cacheDir) {
    this.cache = CredentialCache.in(cacheDir.resolve(DIR));
  }

  /**
   * Whose a lease's entry is: the holder of {@code token} (a lease token as {@link #tokenOf}
   * answers it), {@code lease:<lease id>:<lowercase hex SHA-256 of the token>}; never a person, and
   * nothing from which the token is found but by guessing its 256 random bits.
   */
  static String owner(String token) {
    // No string concatenation on the fast path: its bootstrap costs milliseconds.
    return new StringBuilder("lease:lse_")
        .append(token, TOKEN_PREFIX.length(), ID_END)
        .append(':')
        .append(Sha256.hex(token.getBytes(StandardCharsets.US_ASCII)))
        .toString();
  }

  /**
   * The entry of the lease {@code text}'s token names on {@code server}, while it may be served at
   * {@code now}, when it was minted with that token ({@link #owner}); else empty.
   */
  Optional<String> readMintedWith(String server, String text, Instant now) {
    Optional<String> token = tokenOf(text);
    if (token.isEmpty()) {
      return Optional.empty();
    }
    return cache.read(server, idOf(token.get()), owner(token.get()), now);
  }

  /** Stores {@code json} as the lease's entry, unless it would never be served. */
  boolean write(String server, String lease, String json, Instant now) {
    return cache.write(server, lease, Map.of(), json, now);
  }

  /** Deletes the lease's entry on {@code server}, if this machine has one. */
  public void forget(String server, String lease) {
    cache.delete(server, lease, Map.of());
  }

  /**
   * Deletes the entry of the lease {@code text}'s token names when it was minted with that token
   * (and would still be served): the server refused the token, so the lease has ended. A refusal of
   * another token naming the lease says nothing of the lease, and leaves its entry.
   */
  void forgetMintedWith(String server, String text, Instant now) {
    Optional<String> lease = leaseOf(text);
    if (lease.isPresent() && readMintedWith(server, text, now).isPresent()) {
      forget(server, lease.get());
    }
  }

  /** The directory of the entries. */
  Path dir() {
    return cache.dir();
  }

  /**
   * The lease (its {@code lse_} id) a lease token names, surrounding whitespace stripped; empty
   * when the text does not have a lease token's shape.
   */
  static Optional<String> leaseOf(String text) {
    Optional<String> token = tokenOf(text);
    return token.isEmpty() ? Optional.empty() : Optional.of(idOf(token.get()));
  }

  /** The lease id in a token of {@link #tokenOf}'s shape. */
  private static String idOf(String token) {
    return "lse_".concat(token.substring(TOKEN_PREFIX.length(), ID_END));
  }

  /**
   * The lease token in {@code text}, surrounding whitespace stripped; empty when the text does not
   * have a lease token's shape ({@code LeaseToken.parse} refuses the same).
   */
  static Optional<String> tokenOf(String text) {
    String token = text.strip();
    if (token.length() != TOKEN_LENGTH
        || !token.startsWith(TOKEN_PREFIX)
        || token.charAt(ID_END) != '.') {
      return Optional.empty();
    }
    for (int i = TOKEN_PREFIX.length(); i < token.length(); i++) {
      char c = token.charAt(i);
      boolean ok =
          i < ID_END
              ? c >= 'a' && c <= 'z' || c >= '2' && c <= '7'
              : i == ID_END
                  || c >= 'a' && c <= 'z'
                  || c >= 'A' && c <= 'Z'
                  || c >= '0' && c <= '9'
                  || c == '_'
                  || c == '-';
      if (!ok) {
        return Optional.empty();
      }
    }
    return Optional.of(token);
  }

  /**
   * The lease token in {@code file}, when the file is private to this user (as {@link
   * CredentialCache#isPrivate} says: not a link, no access for group or others) and holds one; else
   * empty, and the full command decides (and refuses what it must, saying why).
   */
  static Optional<String> tokenInFile(String file) {
    try {
      Path path = Path.of(file);
      if (!CredentialCache.isPrivate(path) || Files.size(path) > MAX_TOKEN_FILE) {
        return Optional.empty();
      }
      return tokenOf(Files.readString(path, StandardCharsets.UTF_8));
    } catch (IOException | InvalidPathException e) {
      return Optional.empty();
    }
  }
}
