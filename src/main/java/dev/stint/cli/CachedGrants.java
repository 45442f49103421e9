package dev.stint.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Forgets cached {@code credential_process} answers that must not be served again: those of a
 * revoked grant ({@code stint revoke}) and all of a server's ({@code stint logout}).
 *
 * <p>Kept apart from {@link CredentialCache}, which the cached fast path loads: listing a
 * directory and reading JSON would pull classes onto that path that it never needs.
 */
public final class CachedGrants {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final CredentialCache cache;

  public CachedGrants(CliEnvironment env) {
    this.cache = new CredentialCache(env.cacheDir());
  }

  /**
   * Deletes this server's entries whose {@code grant_id} is {@code grantId}; answers how many.
   * An entry that cannot be read is left: it is never served either.
   */
  public int forgetGrant(String server, String grantId) {
    if (grantId.isEmpty()) {
      return 0;
    }
    return forget(server, file -> grantId.equals(grantOf(file)));
  }

  /** Deletes every entry of this server; answers how many. */
  public int forgetServer(String server) {
    return forget(server, file -> true);
  }

  private int forget(String server, Predicate<Path> matches) {
    String prefix = CredentialCache.prefix(server);
    List<Path> doomed = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(cache.dir())) {
      for (Path file : entries) {
        String name = file.getFileName().toString();
        if (name.startsWith(prefix) && name.endsWith(".json") && matches.test(file)) {
          doomed.add(file);
        }
      }
    } catch (NoSuchFileException e) {
      return 0;
    } catch (IOException e) {
      throw new CliException(CliException.FAILED, "cannot read the credential cache "
          + cache.dir() + ": " + e.getMessage());
    }
    int deleted = 0;
    for (Path file : doomed) {
      try {
        deleted += Files.deleteIfExists(file) ? 1 : 0;
      } catch (IOException e) {
        throw new CliException(CliException.FAILED, "cannot delete cached credentials " + file
            + ": " + e.getMessage());
      }
    }
    return deleted;
  }

  private static String grantOf(Path file) {
    try {
      JsonNode json = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
      return json.path("grant_id").asText("");
    } catch (IOException e) {
      return "";
    }
  }
}
