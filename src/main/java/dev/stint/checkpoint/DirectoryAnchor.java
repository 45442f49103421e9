package dev.stint.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Checkpoints as files in a directory, one per checkpoint. A file appears whole or not at all
 * (written under a temporary name, synced, then hard-linked to its name, which fails rather than
 * replaces when the name exists), so a reader never sees half a checkpoint and none is ever
 * overwritten.
 */
public final class DirectoryAnchor implements Anchor.Objects {
  private final Path dir;

  public DirectoryAnchor(Path dir) {
    this.dir = dir;
  }

  @Override
  public String id() {
    return "dir:" + dir;
  }

  @Override
  public void write(Checkpoint checkpoint) throws IOException {
    Files.createDirectories(dir);
    Path target = dir.resolve(checkpoint.fileName());
    if (Files.exists(target)) {
      sameOrRefuse(target, checkpoint);
      return;
    }
    Path temp = dir.resolve("." + checkpoint.fileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      try (FileChannel out =
          FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        out.write(ByteBuffer.wrap(checkpoint.jws().getBytes(StandardCharsets.US_ASCII)));
        out.force(true);
      }
      link(target, temp, checkpoint);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static void link(Path target, Path temp, Checkpoint checkpoint) throws IOException {
    try {
      Files.createLink(target, temp);
    } catch (FileAlreadyExistsException e) {
      sameOrRefuse(target, checkpoint);
    } catch (UnsupportedOperationException e) {
      // No hard links on this file system: a move without REPLACE_EXISTING also refuses an
      // existing name, only not atomically with the check.
      Files.move(temp, target);
    }
  }

  private static void sameOrRefuse(Path target, Checkpoint checkpoint) throws IOException {
    if (!Files.readString(target, StandardCharsets.US_ASCII).strip().equals(checkpoint.jws())) {
      throw new IOException(target + " already holds a different checkpoint; not replaced");
    }
  }

  @Override
  public void put(String name, Path file) throws IOException {
    Files.createDirectories(dir);
    Path target = dir.resolve(name);
    Path temp = dir.resolve("." + name + "." + UUID.randomUUID() + ".tmp");
    try {
      Files.copy(file, temp);
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        out.force(true);
      }
      try {
        Files.createLink(target, temp);
      } catch (FileAlreadyExistsException e) {
        if (!sha256(target).equals(sha256(file))) {
          throw new IOException(target + " already holds a different file; not replaced");
        }
      } catch (UnsupportedOperationException e) {
        Files.move(temp, target);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  @Override
  public InputStream open(String name) throws IOException {
    return Files.newInputStream(dir.resolve(name));
  }

  /** The lowercase hex SHA-256 of a file, read as a stream. */
  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return sha256(in);
    }
  }

  /** The lowercase hex SHA-256 of everything {@code in} holds. */
  public static String sha256(InputStream in) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
    try (DigestInputStream d = new DigestInputStream(in, digest)) {
      d.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  @Override
  public List<String> readAll() throws IOException {
    List<String> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      throw new IOException("no checkpoint directory at " + dir);
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.filter(DirectoryAnchor::isCheckpoint).sorted().toList()) {
        out.add(Files.readString(p, StandardCharsets.US_ASCII).strip());
      }
    }
    return out;
  }

  private static boolean isCheckpoint(Path p) {
    String name = p.getFileName().toString();
    return name.startsWith("checkpoint-") && name.endsWith(".jws");
  }
}
