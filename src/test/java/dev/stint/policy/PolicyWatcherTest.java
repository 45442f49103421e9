package dev.stint.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.testing.Patience;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hot reload: valid changes apply, invalid ones are refused and the last good policy stays. */
class PolicyWatcherTest {
  static final String ONE =
      """
      profiles:
        one:
          aws: {role_arn: "arn:aws:iam::111122223333:role/one"}
          max_duration: 1h
          requesters: 'true'
          approval: {count: 1, approvers: 'true'}
      """;
  static final String TWO =
      ONE
          + """
        two:
          aws: {role_arn: "arn:aws:iam::111122223333:role/two"}
          max_duration: 2h
          requesters: 'true'
          approval: {count: 1, approvers: 'true'}
      """;

  @TempDir Path dir;
  final List<PolicyReload> reloads = new ArrayList<>();

  private PolicyWatcher watcher(PolicyInForce store) {
    return new PolicyWatcher(dir, new PolicyLoader(), store, reloads::add);
  }

  @Test
  void appliesValidChangesRefusesInvalidOnesAndKeepsTheLastGood() throws Exception {
    Files.writeString(dir.resolve("p.yaml"), ONE);
    PolicyInForce store = new PolicyInForce(new PolicyLoader().load(dir));
    try (PolicyWatcher watcher = watcher(store)) {
      assertThat(watcher.checkNow()).isEmpty();

      Files.writeString(dir.resolve("p.yaml"), TWO);
      PolicyReload ok = watcher.checkNow().orElseThrow();
      assertThat(ok.success()).isTrue();
      assertThat(ok.problems()).isEmpty();
      assertThat(ok.contentHash()).isEqualTo(store.current().contentHash());
      assertThat(store.current().profiles()).containsOnlyKeys("one", "two");

      Files.writeString(
          dir.resolve("p.yaml"),
          TWO.replace("max_duration: 2h", "max_duration: soon")
              .replace(
                  "requesters: 'true'\n    approval: {count: 1, approvers: 'true'}\n  two",
                  "requesters: 'x ='\n    approval: {count: 1, approvers: 'true'}\n  two"));
      PolicyReload refused = watcher.checkNow().orElseThrow();
      assertThat(refused.success()).isFalse();
      assertThat(refused.files()).containsExactly(dir.resolve("p.yaml"));
      assertThat(refused.problems())
          .anySatisfy(
              p ->
                  assertThat(p).contains("p.yaml: profiles.two.max_duration: expected a duration"));
      assertThat(refused.problems())
          .anySatisfy(p -> assertThat(p).contains("profiles.one.requesters: CEL"));
      assertThat(store.current().profiles()).containsOnlyKeys("one", "two");
      assertThat(store.current().contentHash()).isEqualTo(ok.contentHash());

      assertThat(watcher.checkNow()).as("the same broken content is reported once").isEmpty();

      Files.delete(dir.resolve("p.yaml"));
      assertThat(watcher.checkNow().orElseThrow().problems())
          .anySatisfy(p -> assertThat(p).contains("no policy files"));
      assertThat(store.current().profiles()).containsOnlyKeys("one", "two");

      Files.writeString(dir.resolve("p.yaml"), ONE);
      assertThat(watcher.checkNow().orElseThrow().success()).isTrue();
      assertThat(store.current().profiles()).containsOnlyKeys("one");
      assertThat(reloads)
          .extracting(PolicyReload::success)
          .containsExactly(true, false, false, true);
    }
  }

  @Test
  void aTypeErrorIsRefusedOnReloadAndTheLastGoodPolicyStays() throws Exception {
    Files.writeString(dir.resolve("p.yaml"), ONE);
    PolicyInForce store = new PolicyInForce(new PolicyLoader().load(dir));
    String good = store.current().contentHash();
    try (PolicyWatcher watcher = watcher(store)) {
      Files.writeString(
          dir.resolve("p.yaml"),
          TWO.replace(
              "requesters: 'true'\n    approval: {count: 1, approvers: 'true'}\n  two",
              "requesters: 'principal.group.exists(g, g == \"sre\")'\n"
                  + "    approval: {count: 1, approvers: 'true'}\n  two"));
      PolicyReload refused = watcher.checkNow().orElseThrow();
      assertThat(refused.success()).isFalse();
      assertThat(refused.problems())
          .singleElement()
          .asString()
          .endsWith("p.yaml: profiles.one.requesters: CEL: undefined field 'group' (column 10)");
      assertThat(reloads).containsExactly(refused);
      assertThat(store.current().contentHash()).isEqualTo(good);
      assertThat(store.current().profiles()).containsOnlyKeys("one");
      assertThat(store.current().profile("one").orElseThrow().requesters().source())
          .isEqualTo("true");
    }
  }

  /**
   * A file rewritten in place is empty for a moment, and an empty policy file is valid: a reload
   * that read it then would leave no issuer, and every sign-in would be refused until the next.
   */
  @Test
  void aReloadThatWouldLeaveNoIssuerIsRefusedAndTheLastGoodPolicyStays() throws Exception {
    String issued = "issuers:\n  corp: {issuer: https://login.example.com, audience: stint}\n";
    Files.writeString(dir.resolve("p.yaml"), issued + ONE);
    PolicyInForce store = new PolicyInForce(new PolicyLoader().load(dir));
    String good = store.current().contentHash();
    try (PolicyWatcher watcher = watcher(store)) {
      Files.writeString(dir.resolve("p.yaml"), "");
      PolicyReload emptied = watcher.checkNow().orElseThrow();
      assertThat(emptied.success()).isFalse();
      assertThat(emptied.problems())
          .singleElement()
          .asString()
          .contains("would leave no issuer")
          .contains("corp");
      assertThat(store.current().contentHash()).isEqualTo(good);
      assertThat(store.current().issuers()).containsOnlyKeys("corp");

      Files.writeString(dir.resolve("p.yaml"), ONE);
      assertThat(watcher.checkNow().orElseThrow().success())
          .as("profiles without the issuer: still no issuer")
          .isFalse();

      Files.writeString(dir.resolve("p.yaml"), issued + TWO);
      assertThat(watcher.checkNow().orElseThrow().success()).isTrue();
      assertThat(store.current().profiles()).containsOnlyKeys("one", "two");
      assertThat(reloads).extracting(PolicyReload::success).containsExactly(false, false, true);
    }
  }

  @Test
  void theBackgroundWatchReloadsWithinSeconds() throws Exception {
    Files.writeString(dir.resolve("p.yaml"), ONE);
    PolicyInForce store = new PolicyInForce(new PolicyLoader().load(dir));
    CompletableFuture<PolicyReload> seen = new CompletableFuture<>();
    try (PolicyWatcher watcher =
        new PolicyWatcher(dir, new PolicyLoader(), store, seen::complete)) {
      watcher.start();
      Files.writeString(dir.resolve("q.yaml"), "auditors: 'true'\n");
      PolicyReload reload = seen.get(Patience.seconds(10), TimeUnit.MILLISECONDS);
      assertThat(reload.success()).isTrue();
      assertThat(reload.files()).hasSize(2);
      assertThat(store.current().auditors()).isPresent();
    }
  }
}
