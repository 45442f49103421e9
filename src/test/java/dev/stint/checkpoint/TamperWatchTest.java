package dev.stint.checkpoint;

import static dev.stint.testing.AuditTables.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The tamper watch's rounds: incremental ones check only what came after the last good checkpoint,
 * so an edit below it is found by the periodic round that starts over from the anchors and walks
 * the whole chain; once found, the alarm stays raised.
 */
class TamperWatchTest {
  private CheckpointRig rig;
  private TamperWatch watch;
  private int alarms;

  @BeforeEach
  void setUp() throws Exception {
    DirectoryAnchor anchor = new DirectoryAnchor(CheckpointRig.tempDir());
    rig = new CheckpointRig(5, List.of(anchor));
    rig.append(5);
    rig.round();
    rig.append(5);
    rig.round();
    // Every half of the full-walk period: every second round walks the whole chain.
    watch =
        new TamperWatch(
            rig.vertx,
            new TamperWatch.Parts(rig.verification(anchor), rig.store, rig.log, broken -> alarms++),
            TamperWatch.FULL_WALK_EVERY.dividedBy(2),
            rig.meters);
  }

  @AfterEach
  void tearDown() throws Exception {
    watch.close();
    rig.close();
  }

  @Test
  void anEditBelowTheLastGoodCheckpointIsFoundByTheNextFullWalk() throws Exception {
    assertThat(await(watch.check())).as("round 1: the first full walk").isEmpty();
    rig.tamper("UPDATE audit_events SET reason = 'nothing to see' WHERE seq = 3");
    assertThat(await(watch.check()))
        .as("round 2: a full walk again")
        .isPresent()
        .get()
        .satisfies(r -> assertThat(r.brokenSeq()).contains(3L));
    assertThat(alarms).isEqualTo(1);
    assertThat(await(watch.check())).as("sticky").isPresent();
    assertThat(alarms).isEqualTo(1);
    assertThat(watch.readiness().failed()).isTrue();
  }
}
