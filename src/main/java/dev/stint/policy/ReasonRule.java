package dev.stint.policy;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a request's reason must look like. The pattern must be found in the reason (anchor it with
 * {@code ^}/{@code $} to require more).
 */
public record ReasonRule(boolean required, Optional<Pattern> pattern) {
  public static final ReasonRule NONE = new ReasonRule(false, Optional.empty());
}
