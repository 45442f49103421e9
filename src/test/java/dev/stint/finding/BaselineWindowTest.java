package dev.stint.finding;

import static dev.stint.testing.AuditTables.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.finding.rules.History;
import dev.stint.finding.rules.Judged;
import dev.stint.finding.rules.Observed;
import dev.stint.finding.rules.Origin;
import dev.stint.testing.AuditTables;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The novelty baselines (a profile's services and regions, a person's networks) hold only what the
 * novelty window reads: the hourly prune drops rows last seen before it (a day's margin for calls
 * judged late), and a batch loads only rows last seen within the window of its first call, so
 * neither the tables nor a batch's reads grow with a person's or a profile's whole past.
 */
class BaselineWindowTest {
  static final Origin.Holder ALICE = new Origin.Holder(FindingRig.ISSUER, "alice");
  private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private FindingRig rig;

  @BeforeEach
  void setUp() throws Exception {
    rig = new FindingRig();
    seen("old", now.minus(History.NOVELTY).minus(Duration.ofDays(5)));
    seen("edge", now.minus(History.NOVELTY).minus(Duration.ofHours(12)));
    seen("recent", now.minus(Duration.ofDays(10)));
  }

  @AfterEach
  void tearDown() throws Exception {
    rig.close();
  }

  /** A service, a region and a network of Alice's on {@code prod}, last seen {@code last}. */
  void seen(String name, Instant last) throws Exception {
    String first = "'" + last.minus(Duration.ofDays(200)) + "'";
    String at = "'" + last + "'";
    AuditTables.execute(
        rig.url,
        "INSERT INTO finding_profile_services VALUES ('prod', '"
            + name
            + "', "
            + first
            + ", "
            + at
            + "); INSERT INTO finding_profile_regions VALUES ('prod', '"
            + name
            + "', "
            + first
            + ", "
            + at
            + "); INSERT INTO finding_person_networks VALUES ('"
            + FindingRig.ISSUER
            + "', 'alice', '"
            + name
            + "', "
            + first
            + ", "
            + at
            + ")");
  }

  List<String> rows(String table, String column) throws Exception {
    return AuditTables.strings(rig.url, "SELECT " + column + " FROM " + table + " ORDER BY 1");
  }

  @Test
  void thePruneDropsWhatNoWindowReadsAnyMoreAndKeepsTheRest() throws Exception {
    await(BaselineWrites.prune(rig.db.pool(), now));

    assertThat(rows("finding_profile_services", "service")).containsExactly("edge", "recent");
    assertThat(rows("finding_profile_regions", "region")).containsExactly("edge", "recent");
    assertThat(rows("finding_person_networks", "network")).containsExactly("edge", "recent");
  }

  @Test
  void aBatchLoadsOnlyWhatItsWindowReads() throws Exception {
    Observed call =
        new Observed(
            "e-1",
            now,
            "sts.amazonaws.com",
            "GetCallerIdentity",
            "us-east-1",
            Optional.of("203.0.113.9"),
            Optional.empty(),
            Optional.empty(),
            false);
    Origin origin = new Origin("crd_grant", "req_1", "grt_1", Optional.empty(), ALICE, "prod");

    History h =
        await(
            BaselineStore.load(
                rig.db.pool(),
                List.of(new Judged(call, origin)),
                rig.policies.current()::findingRule));

    assertThat(h.services("prod")).containsOnlyKeys("recent");
    assertThat(h.regions("prod")).containsOnlyKeys("recent");
    assertThat(h.networks().since(ALICE, Instant.EPOCH)).containsOnlyKeys("recent");
  }
}
