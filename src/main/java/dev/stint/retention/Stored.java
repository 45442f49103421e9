package dev.stint.retention;

import com.nimbusds.jose.jwk.JWKSet;
import dev.stint.checkpoint.Anchor;
import dev.stint.checkpoint.Checkpoint;
import dev.stint.checkpoint.CheckpointClaims;
import dev.stint.checkpoint.DirectoryAnchor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Putting an export's files at an anchor that keeps files, and reading each back to check it. */
final class Stored {
  private Stored() {}

  /** Stores the file, then reads the stored copy back: it must hash to {@code sha256}. */
  static void putAndCheck(Anchor.Objects anchor, String name, Path file, String sha256)
      throws IOException {
    anchor.put(name, file);
    String back;
    try (InputStream in = anchor.open(name)) {
      back = DirectoryAnchor.sha256(in);
    }
    if (!back.equals(sha256)) {
      throw new IOException(anchor.id() + ": " + name + " reads back differently; not dropped");
    }
  }

  /**
   * A checkpoint's signature differs each time it is made, so a retried export finds an earlier one
   * under the name: that one stands if it is a valid export checkpoint, signed with one of stint's
   * published keys, for the same seq and hash. A file planted there by whoever can write to the
   * anchor is not.
   */
  static void putCheckpoint(
      Anchor.Objects anchor, String name, Path file, Checkpoint checkpoint, JWKSet published)
      throws IOException {
    String existing = read(anchor, name);
    if (existing == null) {
      anchor.put(name, file);
      existing = read(anchor, name);
    }
    if (existing == null
        || !(existing.equals(checkpoint.jws()) || sameClaims(existing, checkpoint, published))) {
      throw new IOException(
          anchor.id()
              + ": "
              + name
              + " does not read back as the export's"
              + " checkpoint; not dropped");
    }
  }

  private static String read(Anchor.Objects anchor, String name) {
    try (InputStream in = anchor.open(name)) {
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
    } catch (IOException e) {
      return null;
    }
  }

  private static boolean sameClaims(String jws, Checkpoint checkpoint, JWKSet published) {
    try {
      Checkpoint found = CheckpointClaims.verify(jws, published);
      return CheckpointClaims.isExport(found)
          && found.seq() == checkpoint.seq()
          && found.hash().equals(checkpoint.hash());
    } catch (CheckpointClaims.InvalidCheckpoint e) {
      return false;
    }
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return DirectoryAnchor.sha256(in);
    }
  }

  static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
