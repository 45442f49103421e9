package dev.stint.checkpoint;

import java.io.IOException;
import java.util.List;

/**
 * One place outside the database that keeps checkpoints. Calls block (files, HTTP, S3): the
 * writer runs them off the event loop.
 */
public interface Anchor {
  /** Names the anchor in the database, logs and errors; never carries a secret. */
  String id();

  /**
   * Stores one checkpoint, never replacing another. Writing the same checkpoint again succeeds
   * (a retry after a lost answer); a different one under the same seq is refused.
   */
  void write(Checkpoint checkpoint) throws IOException;

  /** An anchor stint can read checkpoints back from (a directory, a bucket). */
  interface Readable extends Anchor {
    /** Every checkpoint's compact JWS, in seq order. */
    List<String> readAll() throws IOException;
  }
}
