package dev.stint.finding.rules;

import java.util.Objects;

/** A kept call and whose key made it: what each rule is asked about. */
public record Judged(Observed call, Origin origin) {
  public Judged {
    Objects.requireNonNull(call, "call");
    Objects.requireNonNull(origin, "origin");
  }
}
