package dev.stint.policy;

import java.time.Duration;

/**
 * A profile's {@code extension:} rule. A grant may be lengthened while it is active, never beyond
 * {@code maxTotal} from its start; {@code approval: auto} applies the extension at once, {@code
 * required} sends it through the profile's approval rules (its auto_approve included). A profile
 * without the key allows no extensions.
 */
public record ExtensionRule(Duration maxTotal, Approval approval) {
  public enum Approval {
    REQUIRED,
    AUTO
  }
}
