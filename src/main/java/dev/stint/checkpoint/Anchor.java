package dev.stint.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * One place outside the database that keeps checkpoints. Calls block (files, HTTP, S3): the writer
 * runs them off the event loop.
 */
public interface Anchor {
  /** Names the anchor in the database, logs and errors; never carries a secret. */
  String id();

  /**
   * Stores one checkpoint, never replacing another. Writing the same checkpoint again succeeds (a
   * retry after a lost answer); a different one under the same seq is refused.
   */
  void write(Checkpoint checkpoint) throws IOException;

  /**
   * Told of a retention export once its files are stored at every anchor that keeps files: {@code
   * manifest} (JSON) and the export's signed checkpoint. Anchors that keep files have them already;
   * one that only receives (a webhook) gets these two.
   */
  default void exported(String manifest, Checkpoint checkpoint) throws IOException {}

  /** An anchor stint can read checkpoints back from (a directory, a bucket). */
  interface Readable extends Anchor {
    /** Every checkpoint's compact JWS, in seq order. */
    List<String> readAll() throws IOException;
  }

  /** A readable anchor that also keeps whole files: where retention exports go. */
  interface Objects extends Readable {
    /**
     * Stores {@code file} as {@code name}, never replacing another: the same bytes again succeed (a
     * retried export), different bytes under that name are refused.
     */
    void put(String name, Path file) throws IOException;

    /** Reads a stored file back, to check it before anything is dropped. */
    InputStream open(String name) throws IOException;
  }
}
