package dev.stint.notify;

import dev.stint.extension.ExtensionMachine;
import java.util.Optional;

/**
 * Test-only: a notifier that asks extensions' state machine itself, which is {@code extension}'s
 * own though Java lets others reach it. The architecture test checks that the face rule rejects it;
 * the main check never sees it.
 */
public final class ExtensionMachineFixture {
  private ExtensionMachineFixture() {}

  public static boolean extendable(Optional<String> ciRule) {
    return ExtensionMachine.openedByCiRule(ciRule).isEmpty();
  }
}
