package dev.stint.demo;

/**
 * What stops the scripted agent ({@code stint demo agent}): a tool's refusal, or a state its task
 * cannot go on from. Its message is said to the person watching, as the agent's last line.
 */
final class DemoAgentRefused extends Exception {
  DemoAgentRefused(String message) {
    super(message);
  }
}
