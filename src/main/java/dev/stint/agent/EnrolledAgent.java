package dev.stint.agent;

/** An agent just enrolled, with its token: shown this once, never again readable. */
public record EnrolledAgent(Agent agent, String token) {
  @Override
  public String toString() {
    return "EnrolledAgent[agent=" + agent + ", token=<redacted>]";
  }
}
