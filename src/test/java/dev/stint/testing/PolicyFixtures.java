package dev.stint.testing;

import dev.stint.identity.Principal;
import dev.stint.policy.Policy;
import dev.stint.policy.PolicyLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Policies and principals for tests, loaded through the real loader. */
public final class PolicyFixtures {
  private PolicyFixtures() {}

  /** Loads one policy file's text (throws PolicyException like a real directory would). */
  public static Policy load(String yaml) {
    Path dir = null;
    try {
      dir = TempDirs.create("stint-policy");
      Files.writeString(dir.resolve("policy.yaml"), yaml);
      return new PolicyLoader().load(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      try {
        if (dir != null) {
          TestPostgres.deleteTree(dir);
        }
      } catch (IOException e) {
        // a leftover temp directory does not change the result
      }
    }
  }

  public static Principal person(String subject, String email, List<String> groups) {
    return new Principal(
        "corp",
        "https://login.example.com",
        subject,
        Optional.ofNullable(email),
        groups,
        Map.of("sub", subject, "groups", groups, "iss", "https://login.example.com"),
        Instant.parse("2030-01-01T00:00:00Z"),
        Optional.of("jti-" + subject));
  }

  public static Principal workload(
      String issuerName, Map<String, Object> claims, Optional<String> jti) {
    return new Principal(
        issuerName,
        "https://token.actions.githubusercontent.com",
        String.valueOf(claims.getOrDefault("sub", "repo:x")),
        Optional.empty(),
        List.of(),
        claims,
        Instant.parse("2030-01-01T00:00:00Z"),
        jti);
  }
}
