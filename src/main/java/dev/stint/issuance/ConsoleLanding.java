package dev.stint.issuance;

import java.util.Optional;

/** Where to land in the console: a page (URL or path) and a region, both optional. */
public record ConsoleLanding(Optional<String> destination, Optional<String> region) {
  public static final ConsoleLanding HOME = new ConsoleLanding(Optional.empty(), Optional.empty());
}
