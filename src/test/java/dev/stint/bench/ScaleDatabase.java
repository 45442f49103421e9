package dev.stint.bench;

import dev.stint.db.EmbeddedDatabase;
import dev.stint.db.Migrations;
import dev.stint.testing.TestPostgres;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The loaded database of the growth bench, kept between runs: an embedded Postgres data directory
 * under {@code BENCH_SCALE_DIR} (default {@code target/bench-scale}), named by a hash of the
 * migrations, the generator's version and the spec's sizes, so a schema change or a new generator
 * loads afresh and an unchanged one is reused. The load runs with fsync off; the bench then serves
 * from it as the empty database is served, durably. Runs append to it (issuances, a grant) as a
 * live database grows; the chain stays whole.
 */
final class ScaleDatabase {
  /** Bump when the generated data changes shape, so caches made by an older one are dropped. */
  static final String GENERATOR_VERSION = "4";

  private static final String MARKER = "loaded.txt";

  private ScaleDatabase() {}

  /** Starts the cached database, generating it first if there is none for this spec. */
  static EmbeddedDatabase open(Path root, ScaleSpec spec) throws Exception {
    Path dir = root.resolve(key(spec));
    Path marker = dir.resolve(MARKER);
    if (Files.exists(marker)) {
      System.out.println(
          "bench-scale: REUSING the cached loaded database in "
              + dir
              + " ("
              + Files.readString(marker).strip()
              + ")");
    } else {
      generate(root, dir, spec);
    }
    EmbeddedDatabase db = EmbeddedDatabase.start(dir, EmbeddedDatabase.Use.DURABLE);
    Migrations.migrate(db.ownerUrl());
    return db;
  }

  private static void generate(Path root, Path dir, ScaleSpec spec) throws Exception {
    // Caches of other schemas or sizes are large and never used again.
    if (Files.isDirectory(root)) {
      try (Stream<Path> old = Files.list(root)) {
        for (Path p : old.toList()) {
          TestPostgres.deleteTree(p);
        }
      }
    }
    Files.createDirectories(dir);
    System.out.printf(
        "bench-scale: generating %,d audit events and %,d requests of %,d people"
            + " into %s (cached for later runs)%n",
        spec.events(), spec.requests(), spec.people(), dir);
    long t0 = System.nanoTime();
    ScaleLoader.Loaded loaded;
    try (EmbeddedDatabase db = EmbeddedDatabase.start(dir, EmbeddedDatabase.Use.THROWAWAY)) {
      Migrations.migrate(db.ownerUrl());
      loaded = ScaleLoader.load(db.superuserUrl("stint"), spec);
    }
    String summary =
        String.format(
            "generated %s in %.0f s: %s; data up to %s",
            Instant.now(), (System.nanoTime() - t0) / 1e9, loaded, spec.end());
    Files.writeString(dir.resolve(MARKER), summary + "\n");
    System.out.println("bench-scale: " + summary);
  }

  static String key(ScaleSpec spec) throws IOException, URISyntaxException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
    for (Path migration : migrations()) {
      sha.update(migration.getFileName().toString().getBytes(StandardCharsets.UTF_8));
      sha.update(Files.readAllBytes(migration));
    }
    sha.update((GENERATOR_VERSION + "/" + spec.sizes()).getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
  }

  private static List<Path> migrations() throws IOException, URISyntaxException {
    Path dir = Path.of(ScaleDatabase.class.getClassLoader().getResource("db/migration").toURI());
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".sql")).sorted().toList();
    }
  }
}
