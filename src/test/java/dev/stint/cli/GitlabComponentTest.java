package dev.stint.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The GitLab CI/CD component in {@code ci/gitlab} read as GitLab reads it: a {@code spec:} header
 * document, then one document of jobs; its inputs, with their defaults, are the ones docs/ci.md's
 * table lists.
 */
class GitlabComponentTest {
  private static final Path TEMPLATE = Path.of("ci/gitlab/templates/credentials.yml");
  private static final YAMLMapper YAML = new YAMLMapper();

  @Test
  void theTemplateIsAnInputsHeaderThenHiddenJobsOnly() throws IOException {
    List<JsonNode> documents = documents();
    assertThat(documents).hasSize(2);
    assertThat(names(documents.get(0))).containsExactly("spec");
    assertThat(names(documents.get(0).path("spec"))).containsExactly("inputs");
    assertThat(names(documents.get(1)))
        .as("a hidden job to extend, so the component adds no job of its own to a pipeline")
        .isNotEmpty()
        .allSatisfy(name -> assertThat(name).startsWith("."));
  }

  @Test
  void itsInputsAndTheirDefaultsAreTheOnesDocsCiMdLists() throws IOException {
    Map<String, String> declared = new LinkedHashMap<>();
    documents()
        .get(0)
        .path("spec")
        .path("inputs")
        .fields()
        .forEachRemaining(
            e -> {
              JsonNode value = e.getValue().get("default");
              declared.put(e.getKey(), value == null ? "(required)" : value.asText());
            });
    assertThat(declared).isEqualTo(documented());
  }

  @Test
  void everyInputIsUsedAndNoneIsSplicedIntoAScript() throws IOException {
    String body = Files.readString(TEMPLATE).split("\n---\n", 2)[1];
    for (String input : documented().keySet()) {
      assertThat(body).contains("$[[ inputs." + input + " ]]");
    }
    JsonNode jobs = documents().get(1);
    for (JsonNode job : jobs) {
      for (JsonNode line : job.path("before_script")) {
        assertThat(line.asText()).doesNotContain("$[[");
      }
    }
  }

  @Test
  void theNameInputNamesTheHiddenJobSoASecondIncludeForAnotherProfileKeepsItsOwn()
      throws IOException {
    String template = Files.readString(TEMPLATE);
    JsonNode first = GitlabRunner.component(template, YAML.readTree("{profile: aws-prod-deploy}"));
    JsonNode second =
        GitlabRunner.component(template, YAML.readTree("{profile: aws-audit, name: stint-audit}"));
    assertThat(names(first)).containsExactly(".stint-credentials");
    assertThat(names(second)).containsExactly(".stint-audit");
    assertThat(second.path(".stint-audit").path("variables").path("STINT_INPUT_PROFILE").asText())
        .isEqualTo("aws-audit");
  }

  @Test
  void aMissingProfileOrAWaitOtherThanTrueOrFalseIsRefusedAsGitlabWould() throws IOException {
    String template = Files.readString(TEMPLATE);
    assertThatThrownBy(() -> GitlabRunner.component(template, YAML.readTree("{server: x}")))
        .hasMessageContaining("the required input profile is missing");
    assertThatThrownBy(
            () -> GitlabRunner.component(template, YAML.readTree("{profile: p, wait: 'yes'}")))
        .hasMessageContaining("input wait is not one of");
  }

  private static List<JsonNode> documents() throws IOException {
    return YAML.readValues(YAML.createParser(TEMPLATE.toFile()), JsonNode.class).readAll();
  }

  private static List<String> names(JsonNode node) {
    List<String> out = new ArrayList<>();
    node.fieldNames().forEachRemaining(out::add);
    return out;
  }

  /**
   * The rows of the input table in docs/ci.md's GitLab section: name to default, {@code empty} read
   * as the empty string and a value in backquotes as that value.
   */
  private static Map<String, String> documented() throws IOException {
    String doc = Files.readString(Path.of("docs/ci.md"));
    String section = doc.substring(doc.indexOf("\n## GitLab CI\n"));
    Matcher rows = Pattern.compile("\n\\| `([\\w-]+)` \\| ([^|]+?) \\|").matcher(section);
    Map<String, String> out = new LinkedHashMap<>();
    while (rows.find()) {
      String value = rows.group(2);
      out.put(rows.group(1), value.equals("empty") ? "" : value.replaceAll("^`(.*)`$", "$1"));
    }
    assertThat(out).as("docs/ci.md's table of the component's inputs").isNotEmpty();
    return out;
  }
}
