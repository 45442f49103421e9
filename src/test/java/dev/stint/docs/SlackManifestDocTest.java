package dev.stint.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The app manifest docs/notifications.md asks people to paste into Slack: YAML that parses, with
 * Socket Mode and interactivity on, and exactly the bot scopes stint's calls need.
 */
class SlackManifestDocTest {
  private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);

  @Test
  void theManifestTurnsOnSocketModeWithTheScopesStintUses() throws Exception {
    String doc = Files.readString(Path.of("docs/notifications.md"));
    int setup = doc.indexOf("From an app manifest");
    assertThat(setup).as("the setup step").isPositive();
    Matcher block = YAML_BLOCK.matcher(doc);
    assertThat(block.find(setup)).as("a yaml block after the setup step").isTrue();
    String yaml = block.group(1).replaceAll("(?m)^ {3}", "");
    JsonNode manifest = new ObjectMapper(new YAMLFactory()).readTree(yaml);
    assertThat(manifest.at("/settings/socket_mode_enabled").asBoolean()).isTrue();
    assertThat(manifest.at("/settings/interactivity/is_enabled").asBoolean()).isTrue();
    assertThat(manifest.at("/settings/interactivity/request_url").isMissingNode()).isTrue();
    assertThat(manifest.at("/features/bot_user/display_name").asText()).isNotBlank();
    List<String> scopes = new ArrayList<>();
    manifest.at("/oauth_config/scopes/bot").forEach(s -> scopes.add(s.asText()));
    // chat.postMessage, chat.update, chat.postEphemeral; conversations.open; users.info.
    assertThat(scopes).containsExactlyInAnyOrder("chat:write", "im:write", "users:read");
  }
}
