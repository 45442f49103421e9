package dev.stint.cli.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.cli.CliEnvironment;
import dev.stint.cli.CliException;
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
 * revoked grant ({@code stint revoke}; its task leases' too, as the revoke ends them), all of a
 * server's ({@code stint logout}) and everyone else's when someone logs in ({@code stint login}).
 * Logging in or out leaves the leases' entries: a lease is its token's, not a login's.
 *
 * <p>Kept apart from {@link CredentialCache}, which the cached fast path loads: listing a directory
 * and reading JSON would pull classes onto that path that it never needs.
 */
public final class CachedGrants {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final CredentialCache cache;
  private final LeaseCache leases;

  public CachedGrants(CliEnvironment env) {
    this.cache = new CredentialCache(env.cacheDir());
    this.leases = new LeaseCache(env.cacheDir());
  }

  /**
   * Deletes this server's entries whose {@code grant_id} is {@code grantId}; answers how many. An
   * entry that cannot be read is left: it is never served either.
   */
  public int forgetGrant(String server, String grantId) {
    if (grantId.isEmpty()) {
      return 0;
    }
    Predicate<Path> ofGrant = file -> grantId.equals(field(file, "grant_id"));
    String prefix = CredentialCache.prefix(server);
    return forget(cache.dir(), prefix, ofGrant) + forget(leases.dir(), prefix, ofGrant);
  }

  /** Deletes every entry of this server; answers how many. */
  public int forgetServer(String server) {
    return forget(cache.dir(), CredentialCache.prefix(server), file -> true);
  }

  /**
   * Deletes the entries of every server that were not minted for {@code owner} (a {@link
   * CacheOwner}); answers how many. They would not be served to {@code owner} anyway; deleting them
   * keeps one person's credentials from waiting on disk for the next login.
   */
  public int forgetAllBut(String owner) {
    return forget(cache.dir(), "", file -> !owner.equals(ownerOf(file)));
  }

  private static int forget(Path dir, String prefix, Predicate<Path> matches) {
    List<Path> doomed = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path file : entries) {
        String name = file.getFileName().toString();
        if (name.startsWith(prefix) && name.endsWith(".json") && matches.test(file)) {
          doomed.add(file);
        }
      }
    } catch (NoSuchFileException e) {
      return 0;
    } catch (IOException e) {
      throw new CliException(
          CliException.FAILED, "cannot read the credential cache " + dir + ": " + e.getMessage());
    }
    int deleted = 0;
    for (Path file : doomed) {
      try {
        deleted += Files.deleteIfExists(file) ? 1 : 0;
      } catch (IOException e) {
        throw new CliException(
            CliException.FAILED,
            "cannot delete cached credentials " + file + ": " + e.getMessage());
      }
    }
    return deleted;
  }

  private static String ownerOf(Path file) {
    return field(file, CredentialCache.OWNER);
  }

  private static String field(Path file, String name) {
    try {
      JsonNode json = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
      return json.path(name).asText("");
    } catch (IOException e) {
      return "";
    }
  }
}
