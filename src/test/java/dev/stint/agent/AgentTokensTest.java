package dev.stint.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.common.Ids;
import dev.stint.common.SecretShapes;
import org.junit.jupiter.api.Test;

class AgentTokensTest {
  @Test
  void aTokenNamesItsAgentIsNewEachTimeAndIsFoundAsASecret() {
    String id = new Ids().agent();
    AgentTokens tokens = new AgentTokens();
    String one = tokens.issue(id);
    String two = tokens.issue(id);

    assertThat(one).startsWith("sta_").isNotEqualTo(two);
    assertThat(AgentTokens.looksLike(one)).isTrue();
    assertThat(AgentTokens.agentOf(one)).contains(id);
    assertThat(AgentTokens.hash(one)).hasSize(64).isNotEqualTo(AgentTokens.hash(two));
    assertThat(SecretShapes.problem("task " + one)).contains("holds an agent-token-shaped value");
    assertThat(SecretShapes.redact("x " + one + " y", part -> "<redacted>")).doesNotContain(one);
  }

  @Test
  void whatIsNotOneIsNeverLookedUp() {
    assertThat(AgentTokens.looksLike("stl_" + "a".repeat(24) + "." + "b".repeat(43))).isFalse();
    assertThat(AgentTokens.looksLike("eyJhbGciOi.x.y")).isFalse();
    assertThat(AgentTokens.agentOf("sta_short.x")).isEmpty();
  }
}
