package dev.stint.cli;

import dev.stint.cli.credentials.CredentialCache;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Who is logged in, for the cached paths that cannot parse a token: {@code configDir()/login.owner}
 * (0600) holds the {@link CacheOwner} fingerprint of the stored login's person, written with the
 * login and deleted with it. Not a secret, but trusted: a cached entry is served only when its
 * recorded owner equals this (the launcher's stint-cached reads the same file, by the same rules).
 *
 * <p>Loaded on the cached fast path: plain file reads only, no lambdas, no digests.
 */
public final class LoginMarker {
  static final String FILE_NAME = "login.owner";
  private static final String PREFIX = "sha256:";
  private static final int LENGTH = PREFIX.length() + 64;

  private LoginMarker() {}

  public static Path file(CliEnvironment env) {
    return env.configDir().resolve(FILE_NAME);
  }

  /**
   * The fingerprint of the person logged in; empty when nobody is, and when the file is not one
   * stint wrote (not private to this user, or not a fingerprint), which then serves nothing.
   */
  public static Optional<String> read(CliEnvironment env) {
    Path file = file(env);
    try {
      if (!CredentialCache.isPrivate(file) || Files.size(file) != LENGTH) {
        return Optional.empty();
      }
      String owner = Files.readString(file, StandardCharsets.US_ASCII);
      return owner.startsWith(PREFIX) ? Optional.of(owner) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  public static void write(CliEnvironment env, String owner) throws IOException {
    PrivateFiles.write(file(env), owner);
  }

  public static void delete(CliEnvironment env) throws IOException {
    Files.deleteIfExists(file(env));
  }
}
