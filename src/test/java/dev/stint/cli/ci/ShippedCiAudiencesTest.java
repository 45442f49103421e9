package dev.stint.cli.ci;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A CI job set up as docs/ci.md says, against a policy shipped here, gets its token accepted: the
 * audience the GitHub Action and the GitLab component ask for by default is the one each shipped
 * policy's CI issuer expects.
 */
class ShippedCiAudiencesTest {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final String GITHUB = "https://token.actions.githubusercontent.com";

  @Test
  void everyShippedGithubIssuerExpectsTheAudienceTheActionAsksFor() throws IOException {
    String asked =
        YAML.readTree(Path.of("action.yml").toFile()).at("/inputs/audience/default").asText();

    List<String> expected = audiences(GITHUB);

    assertThat(asked).isNotBlank();
    assertThat(expected).isNotEmpty().allSatisfy(a -> assertThat(a).isEqualTo(asked));
  }

  @Test
  void everyShippedGitlabIssuerExpectsTheAudienceTheComponentAsksFor() throws IOException {
    String template = Files.readString(Path.of("ci/gitlab/templates/credentials.yml"));
    String asked =
        YAML.readTree(template.split("\n---\n", 2)[0]).at("/spec/inputs/audience/default").asText();

    assertThat(asked).isNotBlank();
    assertThat(audiences("https://gitlab.com")).allSatisfy(a -> assertThat(a).isEqualTo(asked));
  }

  /** The audiences of every issuer with this URL in the policies shipped under policies/. */
  private static List<String> audiences(String issuerUrl) throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of("policies"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
        JsonNode issuers = YAML.readTree(file.toFile()).path("issuers");
        issuers.forEach(
            i -> {
              if (issuerUrl.equals(i.path("issuer").asText())) {
                out.add(i.path("audience").asText());
              }
            });
      }
    }
    return out;
  }
}
