package dev.stint.common;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** An instant as Postgres's {@code timestamptz} parameters take it: at UTC. */
public final class Timestamps {
  private Timestamps() {}

  public static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
