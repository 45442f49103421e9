package dev.stint.architecture;

/** Test-only: the other half of {@link LoopFixture}'s loop, through the record nested there. */
final class LoopFixturePeer {
  String answer(LoopFixture.Asked asked) {
    return asked.what();
  }
}
