package dev.stint.architecture;

/**
 * Test-only: a file that makes a loop with {@link LoopFixturePeer} through the record nested in it,
 * which the peer takes. Only with nested classes folded into their file is it a loop, so {@link
 * PackageInteriorsTest} proves both that its rule fires and that it folds them; the main check
 * never sees it.
 */
final class LoopFixture {
  private final LoopFixturePeer peer = new LoopFixturePeer();

  /** What the peer is handed: nested here, so the peer's use of it is a use of this file. */
  record Asked(String what) {}

  String ask(String what) {
    return peer.answer(new Asked(what));
  }
}
