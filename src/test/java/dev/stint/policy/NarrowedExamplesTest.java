package dev.stint.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.cloud.AwsTarget;
import dev.stint.cloud.GcpTarget;
import dev.stint.common.ParameterValues;
import dev.stint.common.SourceNetworks;
import dev.stint.testing.PolicyFixtures;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The narrowed profiles of policies/examples load and fill as their comments say. */
class NarrowedExamplesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Policy EXAMPLES = new PolicyLoader().load(Path.of("policies/examples"));
  private static final Instant NOW = Instant.parse("2026-03-04T10:00:00Z");

  private static AwsTarget aws(String profile) {
    return (AwsTarget) EXAMPLES.profile(profile).orElseThrow().target();
  }

  private static JsonNode filled(String profile, Map<String, String> values) throws Exception {
    return JSON.readTree(
        aws(profile).filledSessionPolicy(ParameterValues.of(values)).orElseThrow().json());
  }

  @Test
  void theS3ProfileGrantsOnePrefixOfOneTeamBucket() throws Exception {
    JsonNode statements =
        filled("s3-team-prefix", Map.of("bucket", "acme-payments-data", "prefix", "reports/2026"));
    assertThat(statements.get(0).get("Resource").asText())
        .isEqualTo("arn:aws:s3:::acme-payments-data");
    assertThat(statements.get(0).at("/Condition/StringLike/s3:prefix/0").asText())
        .isEqualTo("reports/2026/*");
    assertThat(statements.get(1).get("Resource").asText())
        .isEqualTo("arn:aws:s3:::acme-payments-data/reports/2026/*");
    Parameter bucket = EXAMPLES.profile("s3-team-prefix").orElseThrow().parameters().get("bucket");
    AllowedValues.Result allowed =
        bucket.allowedFor(PolicyFixtures.person("dana", null, List.of("payments")), NOW);
    assertThat(allowed.values()).containsExactly("acme-payments-data");
    assertThat(bucket.accepts("acme-billing-data", allowed)).isFalse();
    assertThatThrownBy(
            () ->
                aws("s3-team-prefix")
                    .sessionPolicyFrom(
                        SourceNetworks.ANY,
                        ParameterValues.of(Map.of("bucket", "acme-payments-data", "prefix", "*"))))
        .hasMessageStartingWith("prefix: ");
  }

  @Test
  void theRdsProfileConnectsAsOneDatabaseUser() throws Exception {
    assertThat(
            filled("rds-db-user", Map.of("db_user", "report_q1")).get(0).get("Resource").asText())
        .isEqualTo(
            "arn:aws:rds-db:eu-west-1:111122223333:dbuser:cluster-ABCDEFGHIJKL0123456789/report_q1");
    assertThatThrownBy(
            () ->
                aws("rds-db-user")
                    .filledSessionPolicy(ParameterValues.of(Map.of("db_user", "root"))))
        .hasMessageStartingWith("db_user: the value does not match");
  }

  @Test
  void theEksProfileReachesOneOfItsClusters() throws Exception {
    JsonNode statement = filled("eks-cluster", Map.of("cluster", "prod-eu")).get(0);
    assertThat(statement.get("Action").toString())
        .isEqualTo("[\"eks:DescribeCluster\",\"eks:AccessKubernetesApi\"]");
    assertThat(statement.get("Resource").asText())
        .isEqualTo("arn:aws:eks:eu-west-1:111122223333:cluster/prod-eu");
    Parameter cluster = EXAMPLES.profile("eks-cluster").orElseThrow().parameters().get("cluster");
    assertThat(cluster.allowedFor(PolicyFixtures.person("a", null, List.of("sre")), NOW).values())
        .containsExactly("prod-eu", "staging-eu");
  }

  @Test
  void theGcsProfileBoundsTokensToOneBucket() throws Exception {
    GcpTarget gcp = (GcpTarget) EXAMPLES.profile("gcs-bucket").orElseThrow().target();
    JsonNode boundary =
        JSON.readTree(
            gcp.accessBoundaryFor(ParameterValues.of(Map.of("bucket", "acme-exports")))
                .orElseThrow()
                .json());
    assertThat(boundary.at("/accessBoundary/accessBoundaryRules/0/availableResource").asText())
        .isEqualTo("//storage.googleapis.com/projects/_/buckets/acme-exports");
  }

  @Test
  void theBundleFixesTheClusterAndTheDatabaseUserItsRequestersGet() throws Exception {
    Bundle bundle = EXAMPLES.bundle("orders-incident").orElseThrow();
    assertThat(bundle.profiles()).containsExactly("eks-cluster", "rds-db-user");
    JsonNode cluster =
        JSON.readTree(
            EXAMPLES
                .profile("eks-cluster")
                .orElseThrow()
                .narrowedPolicy(bundle.parametersOf("eks-cluster"))
                .orElseThrow()
                .json());
    assertThat(cluster.get(0).get("Resource").asText())
        .isEqualTo("arn:aws:eks:eu-west-1:111122223333:cluster/prod-eu");
    assertThat(bundle.parametersOf("rds-db-user").values())
        .containsExactly(Map.entry("db_user", "report_orders"));
  }

  @Test
  void theCiRuleNarrowsTheNightlyJobToItsPrefix() throws Exception {
    CiRule rule =
        EXAMPLES.ci().stream()
            .filter(r -> r.name().equals("payments-nightly-report"))
            .findFirst()
            .orElseThrow();
    JsonNode statements =
        JSON.readTree(
            EXAMPLES
                .profile(rule.profile())
                .orElseThrow()
                .narrowedPolicy(rule.parameters())
                .orElseThrow()
                .json());
    assertThat(statements.get(1).get("Resource").asText())
        .isEqualTo("arn:aws:s3:::acme-payments-data/reports/nightly/*");
  }
}
