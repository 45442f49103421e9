package dev.stint.cli.credentials;

import dev.stint.cli.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Cached {@code credential_process} answers, one 0600 file per server, profile and the values its
 * parameters were given (a narrowed profile's credentials for one bucket are never served for
 * another) under the cache directory, used while more than {@link #MIN_REMAINING} of validity
 * remain and only for the person they were minted for: each entry records its {@link CacheOwner} in
 * {@link #OWNER}, and a read names the owner it may serve.
 *
 * <p>An entry is served without asking the server only until its {@link #CHECKED_UNTIL}, at most
 * {@link #CHECK_EVERY} after the server last said its grant still stands; past that it is {@link
 * #due} for a check ({@code GET /v1/credentials/{id}}), so a revoke made anywhere, a widened deny
 * or a newer grant reaches the laptop within that time.
 *
 * <p>AWS tools run {@code stint credentials} at every process start, so this class is also the
 * cached fast path (see {@code app.Main}): it must load no JSON or HTTP classes. The file holds
 * exactly the JSON printed; the expiry and the owner are found by a plain text search for the
 * fields stint itself wrote (a key cannot appear inside a JSON string, whose quotes are escaped).
 */
public final class CredentialCache {
  /** Cached credentials closer than this to expiring are fetched again. */
  public static final Duration MIN_REMAINING = Duration.ofMinutes(5);

  /**
   * How long an entry is served after the server last said it may be: the bound on how late a
   * revoke made elsewhere reaches this laptop's cache.
   */
  public static final Duration CHECK_EVERY = Duration.ofSeconds(60);

  /** The key of the entry's owner in the cached JSON; AWS tools ignore keys they do not know. */
  public static final String OWNER = "owner";

  /** The key of the time until which the entry is served without asking the server. */
  public static final String CHECKED_UNTIL = "checked_until";

  /**
   * The key of the profile's region, which {@code stint env} exports; not a credential_process
   * field, so AWS tools pass over it like the other keys stint adds.
   */
  public static final String REGION = "region";

  /** The key of the entry's credential id, which the check names. */
  public static final String CREDENTIAL_ID = "credential_id";

  private static final String EXPIRATION = "\"Expiration\":\"";
  private static final String OWNER_FIELD = "\"owner\":\"";
  private static final String CHECKED_FIELD = "\"" + CHECKED_UNTIL + "\":\"";
  private static final String CREDENTIAL_FIELD = "\"" + CREDENTIAL_ID + "\":\"";
  private static final int MAX_NAME = 200;
  private static final Map<String, String> NO_PARAMETERS = Map.of();
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final Path dir;
  private final String user;

  /** The running user's cache under {@code cacheDir}: only their own files are served. */
  public CredentialCache(Path cacheDir) {
    this(cacheDir, System.getProperty("user.name"));
  }

  /** A cache that serves only files and a directory owned by the account named {@code user}. */
  CredentialCache(Path cacheDir, String user) {
    this(user, cacheDir.resolve("aws"));
  }

  private CredentialCache(String user, Path dir) {
    this.dir = dir;
    this.user = user;
  }

  /**
   * The running user's entries of another kind, in {@code dir} of their own (task leases': {@link
   * LeaseCache}), named and kept by the same rules.
   */
  static CredentialCache in(Path dir) {
    return new CredentialCache(System.getProperty("user.name"), dir);
  }

  /**
   * The cached JSON when it is still good at {@code now} and was minted for {@code owner}.
   * Unreadable files, and entries of anyone else, count as a miss.
   */
  public Optional<String> read(String server, String profile, String owner, Instant now) {
    return read(server, profile, NO_PARAMETERS, owner, now);
  }

  /**
   * {@link #read} for a profile asked with {@code parameters}: an entry is the answer to one
   * profile with exactly these values, never to the same profile with others.
   */
  public Optional<String> read(
      String server, String profile, Map<String, String> parameters, String owner, Instant now) {
    // No lambda: this is the cached fast path, where bootstrapping one costs milliseconds.
    Optional<String> entry = entry(file(server, profile, parameters), owner, now);
    return entry.isPresent() && checked(entry.get(), now) ? entry : Optional.empty();
  }

  /**
   * The owner's entry that is still valid but past its {@link #CHECKED_UNTIL}: the server must say
   * its grant still stands before it is served again ({@link #checkedAgain}).
   */
  public Optional<String> due(
      String server, String profile, Map<String, String> parameters, String owner, Instant now) {
    Optional<String> entry = entry(file(server, profile, parameters), owner, now);
    return entry.isPresent() && !checked(entry.get(), now) ? entry : Optional.empty();
  }

  /**
   * Serves {@code json} for another {@link #CHECK_EVERY} from {@code now}: the server has just said
   * its grant still stands. Answers the entry as now stored (as it was if it cannot be stored).
   */
  public String checkedAgain(
      String server, String profile, Map<String, String> parameters, String json, Instant now) {
    String at = field(json, CHECKED_FIELD);
    if (at.isEmpty()) {
      return json;
    }
    String again =
        json.replace(CHECKED_FIELD + at + "\"", CHECKED_FIELD + now.plus(CHECK_EVERY) + "\"");
    return write(server, profile, parameters, again, now) ? again : json;
  }

  /** The owner's entry while more than {@link #MIN_REMAINING} remain, checked or not. */
  private Optional<String> entry(Optional<Path> name, String owner, Instant now) {
    if (name.isEmpty()) {
      return Optional.empty();
    }
    Path file = name.get();
    try {
      if (!isPrivate(file, user) || !isPrivate(dir, user)) {
        return Optional.empty();
      }
      String json = Files.readString(file, StandardCharsets.UTF_8);
      return usable(json, now) && sameOwner(owner, ownerOf(json))
          ? Optional.of(json)
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * Whether a cache path is what stint created: not a link, owned by this user, closed to group and
   * others. Anything else may have been planted or exposed, and is not served (the launcher's
   * stint-cached applies the same rule).
   */
  public static boolean isPrivate(Path path) throws IOException {
    return isPrivate(path, System.getProperty("user.name"));
  }

  /** {@link #isPrivate(Path)}, for the account named {@code user}. */
  static boolean isPrivate(Path path, String user) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    PosixFileAttributes attributes =
        Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (!attributes.isRegularFile() && !attributes.isDirectory()) {
      return false;
    }
    for (PosixFilePermission permission : attributes.permissions()) {
      if (permission.ordinal() >= PosixFilePermission.GROUP_READ.ordinal()) {
        return false;
      }
    }
    return attributes.owner().getName().equals(user);
  }

  /** Stores the JSON unless it would never be used; failures to cache are not failures to serve. */
  public boolean write(String server, String profile, String json, Instant now) {
    return write(server, profile, NO_PARAMETERS, json, now);
  }

  /** {@link #write} of the answer to {@code profile} asked with {@code parameters}. */
  public boolean write(
      String server, String profile, Map<String, String> parameters, String json, Instant now) {
    Optional<Path> file = file(server, profile, parameters);
    if (!usable(json, now) || file.isEmpty()) {
      return false;
    }
    try {
      PrivateFiles.ensurePrivateDir(dir.getParent());
      PrivateFiles.ensurePrivateDir(dir);
      if (!isPrivate(dir, user) && !Files.isSymbolicLink(dir)) {
        // A directory others may enter would make every entry a miss (see read): close it, which
        // only its owner can do; anyone else's directory stays as it is and is never served.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      }
      PrivateFiles.write(file.get(), json);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Forgets the cached credentials (the server refused: they must not be served again). */
  public void delete(String server, String profile, Map<String, String> parameters) {
    try {
      Optional<Path> file = file(server, profile, parameters);
      if (file.isPresent()) {
        Files.deleteIfExists(file.get());
      }
    } catch (IOException e) {
      // the next read of an expired or refused file is a miss anyway
    }
  }

  /** The directory holding every entry. */
  Path dir() {
    return dir;
  }

  /**
   * How the names of one server's entries begin. Unambiguous: an escaped name never holds {@code
   * __} (an escaped {@code _} is followed by hex digits), so the first {@code __} ends the server
   * part.
   */
  static String prefix(String server) {
    StringBuilder name = new StringBuilder();
    escape(server, name);
    return name.append("__").toString();
  }

  /** The file for a server and a profile asked without parameters. */
  Optional<Path> file(String server, String profile) {
    return file(server, profile, NO_PARAMETERS);
  }

  /**
   * The file for a server, a profile and the values its parameters were given, in name order: all
   * escaped into one readable name, {@code server__profile__name__value…} (no hashing: loading the
   * JDK's security providers for a digest costs tens of milliseconds on the fast path). One name is
   * never another's: an escaped part holds no {@code __} and never ends in {@code _}, so the parts
   * read back one way only. Empty when the name would be too long for a file system; such entries
   * are not cached.
   */
  Optional<Path> file(String server, String profile, Map<String, String> parameters) {
    StringBuilder name = new StringBuilder(prefix(server));
    escape(profile, name);
    // An iterator, not forEach: no lambda on the fast path.
    for (Map.Entry<String, String> parameter : new TreeMap<>(parameters).entrySet()) {
      escape(parameter.getKey(), name.append("__"));
      escape(parameter.getValue(), name.append("__"));
    }
    if (name.length() > MAX_NAME) {
      return Optional.empty();
    }
    return Optional.of(dir.resolve(name.append(".json").toString()));
  }

  private static void escape(String s, StringBuilder out) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 'a' && c <= 'z'
          || c >= 'A' && c <= 'Z'
          || c >= '0' && c <= '9'
          || c == '.'
          || c == '-') {
        out.append(c);
      } else {
        out.append('_')
            .append(HEX[(c >> 12) & 15])
            .append(HEX[(c >> 8) & 15])
            .append(HEX[(c >> 4) & 15])
            .append(HEX[c & 15]);
      }
    }
  }

  static boolean usable(String json, Instant now) {
    String expiration = field(json, EXPIRATION);
    return !expiration.isEmpty()
        && epochSecond(expiration) > now.plus(MIN_REMAINING).getEpochSecond();
  }

  /** Whether the server said, less than {@link #CHECK_EVERY} ago, that the entry may be served. */
  static boolean checked(String json, Instant now) {
    String until = field(json, CHECKED_FIELD);
    return !until.isEmpty() && epochSecond(until) > now.getEpochSecond();
  }

  /** The entry's credential id, which the check names; empty for an entry without one. */
  static String credentialOf(String json) {
    return field(json, CREDENTIAL_FIELD);
  }

  /**
   * Whether an entry's owner is {@code owner}, in a time that depends on their lengths alone (fixed
   * by their formats): a lease entry's owner holds its token's hash, which only the token names
   * ({@link LeaseCache#owner}), and the launcher's stint-cached compares the same way.
   */
  private static boolean sameOwner(String owner, String recorded) {
    if (owner.length() != recorded.length()) {
      return false;
    }
    int differ = 0;
    for (int i = 0; i < owner.length(); i++) {
      differ |= owner.charAt(i) ^ recorded.charAt(i);
    }
    return differ == 0;
  }

  /** Whose an entry is; empty when it names nobody (such an entry is never served). */
  static String ownerOf(String json) {
    return field(json, OWNER_FIELD);
  }

  /** The string value after the first {@code "key":"}, up to its closing quote; else empty. */
  private static String field(String json, String key) {
    int start = json.indexOf(key);
    if (start < 0) {
      return "";
    }
    start += key.length();
    int end = json.indexOf('"', start);
    return end <= start ? "" : json.substring(start, end);
  }

  /**
   * Seconds since the epoch of {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z} (what stint writes), the
   * fraction dropped; {@code Long.MIN_VALUE} when it is not that. Hand-parsed because {@code
   * Instant.parse} initializes {@code DateTimeFormatter}, which bootstraps lambdas.
   */
  static long epochSecond(String s) {
    if (s.length() < 20
        || s.charAt(4) != '-'
        || s.charAt(7) != '-'
        || s.charAt(10) != 'T'
        || s.charAt(13) != ':'
        || s.charAt(16) != ':'
        || s.charAt(s.length() - 1) != 'Z') {
      return Long.MIN_VALUE;
    }
    for (int i = 19; i < s.length() - 1; i++) {
      char c = s.charAt(i);
      if (i == 19 ? c != '.' : c < '0' || c > '9') {
        return Long.MIN_VALUE;
      }
    }
    try {
      return LocalDateTime.of(
              number(s, 0, 4),
              number(s, 5, 7),
              number(s, 8, 10),
              number(s, 11, 13),
              number(s, 14, 16),
              number(s, 17, 19))
          .toEpochSecond(ZoneOffset.UTC);
    } catch (DateTimeException | NumberFormatException e) {
      return Long.MIN_VALUE;
    }
  }

  private static int number(String s, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        throw new NumberFormatException();
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
