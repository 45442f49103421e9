package dev.stint.policy;

import java.time.Duration;

/**
 * A profile's {@code leases:} rule: the holder of an active grant on it may derive task leases for
 * an agent or a script, each ending within {@code maxDuration} (and never after its grant), at most
 * {@code maxActive} of them live on one grant at a time; {@code approval: required} sends each
 * lease through the profile's approvers like an extension, {@code none} creates it at once. A
 * profile without the key allows no leases.
 */
public record LeaseRule(Duration maxDuration, int maxActive, Approval approval) {
  /** The most live leases one grant may have, whatever a profile asks. */
  public static final int MAX_ACTIVE = 100;

  public enum Approval {
    NONE,
    REQUIRED
  }
}
