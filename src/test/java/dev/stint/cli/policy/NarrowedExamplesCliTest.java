package dev.stint.cli.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.testing.CliRun;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code stint policy check|test} on the narrowed profiles of policies/examples. */
class NarrowedExamplesCliTest {
  @TempDir Path home;

  CliRun run(String... args) {
    return CliRun.run(
        home, Map.of(), Clock.fixed(Instant.parse("2026-03-04T10:00:00Z"), ZoneOffset.UTC), args);
  }

  @Test
  void theExamplesPassPolicyCheck() {
    CliRun r = run("policy", "check", "policies/examples");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("policies/examples: ok (1 file(s), 2 issuer(s), 4 profile(s), 1 CI rule(s))");
  }

  @Test
  void theExamplesPassTheirPolicyTests() {
    CliRun r = run("policy", "test", "policies/examples/tests");
    assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
    assertThat(r.out())
        .contains("PASS narrowed.yaml: an SRE may ask for a cluster")
        .contains("PASS narrowed.yaml: the nightly report job from main reads its prefix")
        .contains("10 passed, 0 failed");
  }
}
