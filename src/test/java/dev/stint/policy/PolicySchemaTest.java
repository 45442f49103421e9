package dev.stint.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.stint.testing.JsonSchemas;
import dev.stint.testing.PolicyFixtures;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code policies/schema.json}, the editors' view of a policy file: every shipped policy file
 * validates, and what the loader refuses as an unknown key or a wrong type the schema refuses too.
 */
class PolicySchemaTest {
  static final Path SCHEMA = Path.of("policies/schema.json");
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final String VALID =
      """
      auditors: 'principal.groups.exists(g, g == "security")'
      issuers:
        corp: {issuer: https://login.example.com, audience: stint}
      login: {issuer: corp, client_id: cli}
      profiles:
        p:
          aws: {role_arn: "arn:aws:iam::111122223333:role/r"}
          max_duration: 1h
          requesters: 'true'
          approval: {count: 1, approvers: 'true'}
      """;

  static Validator schema() throws IOException {
    return JsonSchemas.validator(new JsonObject(Files.readString(SCHEMA)));
  }

  @SuppressWarnings("unchecked")
  static OutputUnit validate(String yaml) throws IOException {
    return schema().validate(new JsonObject(YAML.readValue(yaml, Map.class)));
  }

  /** Every policy directory shipped: the example, the demo and the narrowed examples. */
  static Stream<Path> shippedPolicyFiles() throws IOException {
    List<Path> dirs =
        List.of(Path.of("policies"), Path.of("policies/demo"), Path.of("policies/examples"));
    return dirs.stream().flatMap(dir -> PolicyLoader.policyFiles(dir).stream());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("shippedPolicyFiles")
  void everyShippedPolicyFileValidates(Path file) throws IOException {
    String text = Files.readString(file);
    OutputUnit result = validate(text);
    assertThat(result.getValid()).as(file + ": " + result.getErrors()).isTrue();
    assertThat(text.lines().findFirst().orElse(""))
        .as("editors find the schema through the file's first line")
        .startsWith("# yaml-language-server: $schema=")
        .endsWith("schema.json");
  }

  @Test
  void shippedFilesAreFound() throws IOException {
    assertThat(shippedPolicyFiles()).hasSizeGreaterThanOrEqualTo(6);
  }

  @Test
  void aValidFileValidatesAndLoads() throws IOException {
    assertThat(validate(VALID).getValid()).isTrue();
    assertThat(PolicyFixtures.load(VALID).profiles()).containsOnlyKeys("p");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "max_duration: 1h|max_duraton: 1h",
        "approval: {count: 1,|approval: {cuont: 1,",
        "audience: stint}|audience: stint, audiance: x}",
        "auditors:|auditor:",
        "count: 1|count: '1'",
        "count: 1|count: 11",
        "client_id: cli}|client_id: cli, scopes: [profile]}",
        "aws: {role_arn: \"arn:aws:iam::111122223333:role/r\"}|aws: {role_arn: x, mode: sso}",
        "aws: {role_arn: \"arn:aws:iam::111122223333:role/r\"}|description: no cloud",
        "max_duration: 1h|max_duration: soon",
        "requesters: 'true'|requesters: true",
        "  p:|  P:"
      })
  void whatTheLoaderRefusesTheSchemaRefuses(String edit) throws IOException {
    String[] fromTo = edit.split("\\|", 2);
    assertThat(VALID).contains(fromTo[0]);
    String broken = VALID.replace(fromTo[0], fromTo[1]);
    assertThat(validate(broken).getValid()).as(broken).isFalse();
    assertThat(catchThrowableOfType(PolicyException.class, () -> PolicyFixtures.load(broken)))
        .as("the loader refuses it too")
        .isNotNull();
  }

  @Test
  void theSchemaNamesExactlyTheTopLevelKeysTheParserKnows() throws IOException {
    JsonObject schema = new JsonObject(Files.readString(SCHEMA));
    assertThat(schema.getJsonObject("properties").fieldNames())
        .containsExactlyInAnyOrderElementsOf(PolicyFileParser.TOP_LEVEL);
  }

  @Test
  void anApprovalInStagesValidatesAndTheSchemaRefusesWhatTheLoaderRefuses() throws IOException {
    String staged =
        VALID.replace(
            "approval: {count: 1, approvers: 'true'}",
            "approval:\n        stages:\n"
                + "          - {name: lead, count: 1, approvers: 'true', skip_if: 'false'}\n"
                + "          - {name: security, count: 2, approvers: 'true',"
                + " escalate_after: 1h, escalate_to: 'true'}");
    assertThat(staged).isNotEqualTo(VALID);
    assertThat(validate(staged).getValid()).as(staged).isTrue();
    assertThat(PolicyFixtures.load(staged).profile("p").orElseThrow().approval().stages())
        .hasSize(2);
    for (String broken :
        List.of(
            staged.replace("stages:", "count: 1\n        stages:"),
            staged.replace("name: lead, ", ""),
            staged.replace("name: lead", "name: Lead"),
            staged.replace("skip_if: 'false'", "skip: 'false'"),
            staged.replace(" escalate_to: 'true'", ""))) {
      assertThat(validate(broken).getValid()).as(broken).isFalse();
      assertThat(catchThrowableOfType(PolicyException.class, () -> PolicyFixtures.load(broken)))
          .as("the loader refuses it too: " + broken)
          .isNotNull();
    }
  }

  @Test
  void fixedParametersValidateAndTheSchemaRefusesWhatTheLoaderRefuses() throws IOException {
    String fixed =
        FixedParametersLoadTest.ci(", parameters: {bucket: team-data}")
            + "bundles:\n  b: {profiles: [s3-read, plain], parameters: {s3-read: {bucket: b-c}}}\n";
    assertThat(validate(fixed).getValid()).as(fixed).isTrue();
    assertThat(PolicyFixtures.load(fixed).bundle("b")).isPresent();
    for (String broken :
        List.of(
            fixed.replace("{bucket: b-c}", "{bucket: 123}"),
            fixed.replace("{bucket: b-c}", "{}"),
            fixed.replace("parameters: {s3-read:", "parameters: {S3-read:"),
            fixed.replace("parameters: {bucket: team-data}", "parameters: {}"),
            fixed.replace("parameters: {bucket: team-data}", "parameter: {bucket: team-data}"))) {
      assertThat(broken).isNotEqualTo(fixed);
      assertThat(validate(broken).getValid()).as(broken).isFalse();
      assertThat(catchThrowableOfType(PolicyException.class, () -> PolicyFixtures.load(broken)))
          .as("the loader refuses it too: " + broken)
          .isNotNull();
    }
  }
}
