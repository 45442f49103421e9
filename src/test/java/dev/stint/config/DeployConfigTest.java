package dev.stint.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped Kubernetes config must be a config stint accepts, not just valid YAML. */
class DeployConfigTest {
  @TempDir Path dir;

  @Test
  void kubernetesConfigMapHoldsAValidStintConfig() throws Exception {
    JsonNode configMap = new ObjectMapper(new YAMLFactory())
        .readTree(Path.of("deploy/kubernetes/configmap.yaml").toFile());
    Path file = Files.writeString(dir.resolve("stint.yaml"), configMap.at("/data/stint.yaml").asText());

    StintConfig config = ConfigLoader.load(Optional.of(file),
        Map.of("STINT_DATABASE_URL", "postgresql://stint:pw@db.internal:5432/stint"));

    assertThat(config.listen().toString()).isEqualTo("0.0.0.0:8080");
    assertThat(config.publicUrl()).isEqualTo(URI.create("https://stint.example.com"));
    assertThat(config.dataDir()).isEqualTo(Path.of("/var/lib/stint"));
    assertThat(config.signingKeys()).containsExactly(Path.of("/etc/stint/keys/signing-key-1.pem"));
    assertThat(config.policiesDir()).isEqualTo(Path.of("/etc/stint/policies"));
    assertThat(config.database().url()).isPresent();
    assertThat(List.of(config.shutdownTimeout().getSeconds())).containsExactly(30L);
    // /metrics leaves the port the ingress exposes.
    assertThat(config.metrics().listen()).contains(new StintConfig.HostPort("0.0.0.0", 9090));
  }

  /**
   * Prometheus scrapes from another pod, which /metrics refuses without a token: the Deployment
   * takes one from a Secret, and no annotation invites a generic job to scrape (and be sent it).
   */
  @Test
  void prometheusScrapesWithATokenFromASecret() throws Exception {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    JsonNode deployment = yaml.readTree(Path.of("deploy/kubernetes/deployment.yaml").toFile());
    JsonNode token = null;
    for (JsonNode env : deployment.at("/spec/template/spec/containers/0/env")) {
      if (env.path("name").asText().equals("STINT_METRICS_TOKEN")) {
        token = env.at("/valueFrom/secretKeyRef");
      }
    }
    assertThat(token).as("STINT_METRICS_TOKEN from a Secret").isNotNull();
    assertThat(token.path("name").asText()).isEqualTo("stint-metrics");
    assertThat(deployment.at("/spec/template/metadata/annotations").toString())
        .doesNotContain("prometheus.io/scrape");
    String secrets = Files.readString(Path.of("deploy/kubernetes/secrets.example.yaml"));
    String key = token.path("key").asText() + ": ";
    String secret = secrets.substring(secrets.indexOf("name: stint-metrics"));
    String example = secret.substring(secret.indexOf(key) + key.length()).lines().findFirst()
        .orElseThrow();

    JsonNode configMap = yaml.readTree(Path.of("deploy/kubernetes/configmap.yaml").toFile());
    Path file = Files.writeString(dir.resolve("stint.yaml"),
        configMap.at("/data/stint.yaml").asText());
    StintConfig config = ConfigLoader.load(Optional.of(file), Map.of("STINT_DATABASE_URL",
        "postgresql://stint:pw@db.internal:5432/stint", "STINT_METRICS_TOKEN", example));
    assertThat(config.metrics().token()).contains(example);
  }

  @Test
  void aNetworkPolicyLetsOnlyTheIngressAndPrometheusReachTheStintPods() throws Exception {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    JsonNode policy = yaml.readTree(Path.of("deploy/kubernetes/networkpolicy.yaml").toFile());
    JsonNode deployment = yaml.readTree(Path.of("deploy/kubernetes/deployment.yaml").toFile());
    JsonNode kustomization = yaml.readTree(Path.of("deploy/kubernetes/kustomization.yaml").toFile());

    assertThat(policy.path("kind").asText()).isEqualTo("NetworkPolicy");
    assertThat(kustomization.path("resources").toString()).contains("networkpolicy.yaml");
    // It selects exactly the pods the Deployment runs.
    assertThat(policy.at("/spec/podSelector/matchLabels"))
        .isEqualTo(deployment.at("/spec/template/metadata/labels"));
    assertThat(policy.at("/spec/policyTypes").toString()).contains("Ingress");
    JsonNode rules = policy.at("/spec/ingress");
    assertThat(rules).hasSize(2);
    for (JsonNode rule : rules) {
      // Every rule names its peers: an empty "from" would admit the whole cluster.
      assertThat(rule.path("from").size()).isPositive();
      rule.path("from").forEach(peer -> assertThat(peer.has("podSelector")).isTrue());
    }
    assertThat(rules.get(0).at("/from/0/podSelector/matchLabels/app.kubernetes.io~1name").asText())
        .isEqualTo("ingress-nginx");
    assertThat(rules.get(0).at("/ports/0/port").asText()).isEqualTo("http");
    assertThat(rules.get(1).at("/from/0/podSelector/matchLabels/app.kubernetes.io~1name").asText())
        .isEqualTo("prometheus");
    assertThat(rules.get(1).at("/ports/0/port").asText()).isEqualTo("metrics");
    // The named ports exist on the container, metrics where stint.yaml puts it.
    String ports = deployment.at("/spec/template/spec/containers/0/ports").toString();
    assertThat(ports).contains("\"name\":\"http\"").contains("\"name\":\"metrics\"")
        .contains("9090");
  }
}
