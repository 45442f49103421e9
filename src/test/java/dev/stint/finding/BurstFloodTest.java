package dev.stint.finding;

import static dev.stint.testing.AuditTables.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.finding.rules.BurstKind;
import dev.stint.finding.rules.EventRef;
import dev.stint.finding.rules.History;
import dev.stint.finding.rules.Judged;
import dev.stint.finding.rules.Observed;
import dev.stint.finding.rules.Origin;
import dev.stint.policy.FindingRule;
import dev.stint.testing.AuditTables;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One holder flooding their grant with cheap refused calls does not stall the findings: a batch
 * reads at most each burst's threshold of a scope's recent calls for each of its counted calls,
 * however many the scope made, and the burst rules answer as they did when every call was read.
 */
class BurstFloodTest {
  /** More refusals in the hour than the rows any batch should read. */
  static final int FLOOD = 5_000;

  static final Origin.Holder ALICE = new Origin.Holder(FindingRig.ISSUER, "alice");
  private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private FindingRig rig;

  @BeforeEach
  void setUp() throws Exception {
    rig = new FindingRig();
  }

  @AfterEach
  void tearDown() throws Exception {
    rig.close();
  }

  /**
   * {@code n} refusals of {@code scope}'s, kept as judged, spread from {@code from} to {@code to},
   * their event ids starting {@code prefix}.
   */
  void refusals(String scope, String prefix, int n, Instant from, Instant to) throws Exception {
    AuditTables.execute(
        rig.url,
        "INSERT INTO finding_bursts (scope, kind, event_id, event_name, event_source, at)"
            + " SELECT '"
            + scope
            + "', 'denied', '"
            + prefix
            + "-' || i, 'GetObject', 's3.amazonaws.com', timestamptz '"
            + from
            + "' + (timestamptz '"
            + to
            + "' - timestamptz '"
            + from
            + "') * i / "
            + n
            + " FROM generate_series(1, "
            + n
            + ") AS i");
  }

  static Judged refused(String id, Instant at) {
    return new Judged(
        new Observed(
            id,
            at,
            "s3.amazonaws.com",
            "GetObject",
            "eu-west-1",
            Optional.of("198.51.100.7"),
            Optional.of("AccessDenied"),
            Optional.empty(),
            false),
        new Origin("crd_grant", "req_1", "grt_1", Optional.empty(), ALICE, "prod"));
  }

  History load(List<Judged> batch) throws Exception {
    return await(
        rig.db
            .pool()
            .withConnection(
                c -> BaselineStore.load(c, batch, rig.policies.current()::findingRule)));
  }

  @Test
  void aBatchReadsAtMostTheThresholdOfAScopesRecentCallsForEachOfItsOwnHoweverManyThereAre()
      throws Exception {
    refusals("grt_1", "flood", FLOOD, now.minus(Duration.ofMinutes(50)), now.minusSeconds(1));
    List<Judged> batch = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      batch.add(refused("e-" + i, now.plusSeconds(i)));
    }

    History h = load(batch);

    int threshold = FindingRule.DENIED_BURST.defaultThreshold();
    List<EventRef> read =
        h.bursts().between("grt_1", BurstKind.DENIED, Instant.EPOCH, now.plusSeconds(60));
    assertThat(read).hasSizeLessThanOrEqualTo(batch.size() * threshold);
  }

  @Test
  void aFloodInTheWindowRaisesNothingMoreAndOneBeforeItLeavesTheBurstAsItWas() throws Exception {
    int threshold = FindingRule.DENIED_BURST.defaultThreshold();
    refusals("grt_1", "near", threshold - 1, now.minus(Duration.ofMinutes(5)), now.minusSeconds(5));
    refusals(
        FindingRig.LEASE, "flood", FLOOD, now.minus(Duration.ofMinutes(9)), now.minusSeconds(1));
    refusals(
        "grt_1",
        "flood",
        FLOOD,
        now.minus(Duration.ofMinutes(50)),
        now.minus(Duration.ofMinutes(20)));

    rig.push("denied_burst", FindingRig.GRANT_KEY, now);
    rig.push("denied_burst", FindingRig.LEASE_KEY, now);
    await(rig.judging.once());

    assertThat(rig.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.rule()).isEqualTo(FindingRule.DENIED_BURST);
              assertThat(f.origin().leaseId())
                  .as("the grant's own, not the flooded lease")
                  .isEmpty();
              assertThat(f.events()).hasSize(threshold);
            });
  }
}
