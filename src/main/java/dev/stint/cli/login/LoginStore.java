package dev.stint.cli.login;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.stint.cli.CliEnvironment;
import dev.stint.cli.CliException;
import dev.stint.cli.PrivateFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code configDir()/login.json}, mode 0600 in a 0700 directory. Read-modify-write runs under a
 * file lock so two stint processes refreshing at once do not each spend the same (rotating)
 * refresh token.
 */
final class LoginStore {
  private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private final Path file;

  LoginStore(CliEnvironment env) {
    this.file = env.configDir().resolve("login.json");
  }

  Path file() {
    return file;
  }

  Optional<LoginRecord> read() {
    try {
      return Optional.of(JSON.readValue(Files.readString(file), LoginRecord.class));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      // Never echo the content: it holds tokens.
      throw new CliException(CliException.FAILED, "stored login " + file
          + " is unreadable or damaged: run 'stint login' again");
    }
  }

  void write(LoginRecord login) {
    try {
      PrivateFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(login));
    } catch (IOException e) {
      throw new CliException(CliException.FAILED, "cannot save the login to " + file + ": "
          + e.getMessage());
    }
  }

  boolean delete() {
    try {
      return Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new CliException(CliException.FAILED, "cannot delete " + file + ": " + e.getMessage());
    }
  }

  /** Runs {@code change} on the current record while holding the lock; returns its result. */
  <T> T locked(Function<Optional<LoginRecord>, T> change) {
    Path lock = file.resolveSibling(".login.lock");
    try {
      PrivateFiles.ensurePrivateDir(file.getParent());
      try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock held = channel.lock()) {
        return change.apply(read());
      }
    } catch (IOException e) {
      throw new CliException(CliException.FAILED, "cannot lock " + lock + ": " + e.getMessage());
    }
  }
}
