package dev.stint.agent;

import java.time.Duration;
import java.util.List;

/** An enrollment asked for: the agent's name, the profiles it may ask for, how long it lasts. */
public record NewAgent(String name, List<String> profiles, Duration expiresIn) {
  /** How long an agent lasts when the person does not say. */
  public static final Duration DEFAULT_EXPIRY = Duration.ofDays(30);

  /** The longest an agent lasts: it is enrolled again after. */
  public static final Duration MAX_EXPIRY = Duration.ofDays(90);

  public NewAgent {
    profiles = List.copyOf(profiles);
  }
}
