package dev.stint.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.testing.PolicyFixtures;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A condition evaluated ahead of any request ({@link Condition#ahead}): what the person's own
 * values settle is true or false, whatever the facts; what a fact could still change depends on it.
 */
class ConditionAheadTest {
  static final Conditions CONDITIONS = new Conditions();
  static final Map<String, Object> ALICE =
      ConditionVariables.of(
          PolicyFixtures.person("alice", "alice@example.com", List.of("eng")),
          Map.of(
              "profile", "p",
              "duration_seconds", 3600L,
              "reason", "",
              "ticket", "",
              "break_glass", false),
          Instant.EPOCH);

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = ';',
      quoteCharacter = '`',
      value = {
        "'eng' in principal.groups ; TRUE",
        "'ops' in principal.groups ; FALSE",
        "'eng' in principal.groups && oncall('PABC123') ; DEPENDS",
        "'ops' in principal.groups && oncall('PABC123') ; FALSE",
        "oncall('PABC123') && 'ops' in principal.groups ; FALSE",
        "'eng' in principal.groups || oncall('PABC123') ; TRUE",
        "oncall('PABC123') || 'eng' in principal.groups ; TRUE",
        "'ops' in principal.groups || oncall('PABC123') ; DEPENDS",
        "!oncall('PABC123') ; DEPENDS",
        "'eng' in principal.groups && ticket.exists ; DEPENDS",
        "'ops' in principal.groups && ticket.status_category == 'done' ; FALSE",
        "fact('cleared') ; DEPENDS",
        "fact('training', 'aws') && 'eng' in principal.groups ; DEPENDS",
        "claims.missing == 'x' ; FALSE",
      })
  void aheadOfARequest(String source, Condition.Ahead expected) {
    assertThat(CONDITIONS.compile(source).ahead(ALICE)).isEqualTo(expected);
  }
}
