package dev.stint.cli.login;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.stint.cli.CliEnvironment;
import dev.stint.cli.CliException;
import dev.stint.cli.LoginMarker;
import dev.stint.cli.PrivateFiles;
import dev.stint.cli.credentials.CacheOwner;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code configDir()/login.json}, mode 0600 in a 0700 directory, and beside it the {@link
 * LoginMarker} of its person, which is written and deleted with it. Read-modify-write runs under a
 * file lock so two stint processes refreshing at once do not each spend the same (rotating) refresh
 * token, and so a marker is never left naming a login that has gone.
 */
final class LoginStore {
  /** Made on first use: every command holds a store, and most runs of some never read it. */
  private static final class Json {
    static final ObjectMapper MAPPER =
        new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
  }

  private final CliEnvironment env;
  private final Path file;

  LoginStore(CliEnvironment env) {
    this.env = env;
    this.file = env.configDir().resolve("login.json");
  }

  Path file() {
    return file;
  }

  Optional<LoginRecord> read() {
    try {
      return Optional.of(Json.MAPPER.readValue(Files.readString(file), LoginRecord.class));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      // Never echo the content: it holds tokens.
      throw new CliException(
          CliException.FAILED,
          "stored login " + file + " is unreadable or damaged: run 'stint login' again");
    }
  }

  /**
   * Saves the login, then marks its person as the one logged in. The marker of someone else goes
   * first, so no moment serves that person's cached credentials beside this login. Callers hold the
   * lock.
   */
  void write(LoginRecord login) {
    Optional<String> owner = CacheOwner.ofToken(login.idToken());
    try {
      if (owner.isEmpty() || !owner.equals(LoginMarker.read(env))) {
        LoginMarker.delete(env);
      }
      PrivateFiles.write(
          file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(login));
      if (owner.isPresent()) {
        LoginMarker.write(env, owner.get());
      }
    } catch (IOException e) {
      throw new CliException(
          CliException.FAILED, "cannot save the login to " + file + ": " + e.getMessage());
    }
  }

  /** Marks the stored login's person when the marker is missing (a login saved before markers). */
  void mark() {
    locked(
        latest -> {
          latest
              .flatMap(login -> CacheOwner.ofToken(login.idToken()))
              .ifPresent(
                  owner -> {
                    try {
                      LoginMarker.write(env, owner);
                    } catch (IOException e) {
                      // Unmarked, cached credentials are only fetched again: slower, never wrong.
                    }
                  });
          return null;
        });
  }

  /** Deletes the marker and then the login, under the lock; false when nobody was logged in. */
  boolean delete() {
    if (!Files.isDirectory(file.getParent())) {
      return false;
    }
    return withLock(
        () -> {
          try {
            LoginMarker.delete(env);
            return Files.deleteIfExists(file);
          } catch (IOException e) {
            throw new CliException(
                CliException.FAILED, "cannot delete " + file + ": " + e.getMessage());
          }
        });
  }

  /** Runs {@code change} on the current record while holding the lock; returns its result. */
  <T> T locked(Function<Optional<LoginRecord>, T> change) {
    return withLock(() -> change.apply(read()));
  }

  private <T> T withLock(Supplier<T> action) {
    Path lock = file.resolveSibling(".login.lock");
    try {
      PrivateFiles.ensurePrivateDir(file.getParent());
      try (FileChannel channel =
              FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock held = channel.lock()) {
        return action.get();
      }
    } catch (IOException e) {
      throw new CliException(CliException.FAILED, "cannot lock " + lock + ": " + e.getMessage());
    }
  }
}
