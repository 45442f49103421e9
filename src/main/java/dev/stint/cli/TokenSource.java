package dev.stint.cli;

import dev.stint.cli.credentials.CacheOwner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Finds the OIDC token a command sends: {@code --token-file} when given, else {@code STINT_TOKEN},
 * else the stored login (refreshed when it can be); and whose that token is, for the credential
 * cache. Never prints the token.
 */
public final class TokenSource {
  /** Tokens larger than this are not OIDC tokens; the server refuses them too. */
  static final int MAX_TOKEN_BYTES = 16 * 1024;

  private final CliEnvironment env;
  private final Supplier<Optional<String>> storedLogin;

  public TokenSource(CliEnvironment env, Supplier<Optional<String>> storedLogin) {
    this.env = env;
    this.storedLogin = storedLogin;
  }

  public String token(ServerOptions options) {
    return given(options)
        .or(storedLogin)
        .orElseThrow(
            () ->
                new CliException(
                    CliException.REFUSED,
                    "not logged in: run 'stint login', or set STINT_TOKEN or --token-file"));
  }

  /**
   * The {@link CacheOwner} of the token a command would send, without sending or refreshing it: the
   * given token's person, else the stored login's ({@link LoginMarker}); empty when nobody is
   * logged in or the token names no person.
   */
  public Optional<String> owner(ServerOptions options) {
    Optional<String> given = given(options);
    return given.isPresent() ? given.flatMap(CacheOwner::ofToken) : LoginMarker.read(env);
  }

  /** {@code --token-file}, else {@code STINT_TOKEN}; empty when neither is given. */
  private Optional<String> given(ServerOptions options) {
    Optional<Path> file = options.tokenFile();
    if (file.isPresent()) {
      return Optional.of(fromFile(file.get()));
    }
    return env.get("STINT_TOKEN").map(token -> checked(token.trim(), "STINT_TOKEN"));
  }

  private static String fromFile(Path file) {
    try {
      if (Files.size(file) > MAX_TOKEN_BYTES) {
        throw new CliException(CliException.USAGE, "token file " + file + " is larger than 16 KiB");
      }
      return checked(Files.readString(file, StandardCharsets.UTF_8).trim(), "token file " + file);
    } catch (NoSuchFileException e) {
      throw new CliException(CliException.USAGE, "token file " + file + " does not exist");
    } catch (IOException e) {
      throw new CliException(
          CliException.USAGE, "cannot read token file " + file + ": " + e.getMessage());
    }
  }

  private static String checked(String token, String where) {
    if (token.isEmpty()) {
      throw new CliException(CliException.USAGE, where + " is empty");
    }
    if (token.length() > MAX_TOKEN_BYTES || token.chars().anyMatch(c -> c <= ' ' || c > '~')) {
      throw new CliException(CliException.USAGE, where + " does not hold a token");
    }
    return token;
  }
}
