package dev.stint.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
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
    JsonNode configMap =
        new ObjectMapper(new YAMLFactory())
            .readTree(Path.of("deploy/kubernetes/base/configmap.yaml").toFile());
    Path file =
        Files.writeString(dir.resolve("stint.yaml"), configMap.at("/data/stint.yaml").asText());

    // The mounted Secret's file, wherever this test can put it.
    Path password = Files.writeString(dir.resolve("password"), "pw");
    Path token = Files.writeString(dir.resolve("token"), "a-metrics-token-0123456789");
    StintConfig config =
        ConfigLoader.load(
            Optional.of(file),
            Map.of(
                "STINT_DATABASE_PASSWORD_FILE", password.toString(),
                "STINT_METRICS_TOKEN_FILE", token.toString()));

    assertThat(config.listen().toString()).isEqualTo("0.0.0.0:8080");
    assertThat(config.publicUrl()).isEqualTo(URI.create("https://stint.example.com"));
    assertThat(config.dataDir()).isEqualTo(Path.of("/var/lib/stint"));
    assertThat(config.signingKeys()).containsExactly(Path.of("/etc/stint/keys/signing-key-1.pem"));
    assertThat(config.policiesDir()).isEqualTo(Path.of("/etc/stint/policies"));
    assertThat(config.database().url())
        .hasValueSatisfying(
            url -> {
              assertThat(url.password()).isEqualTo("pw");
              assertThat(url.host()).isEqualTo("db.internal");
            });
    assertThat(List.of(config.shutdownTimeout().getSeconds())).containsExactly(30L);
    // /metrics leaves the port the ingress exposes.
    assertThat(config.metrics().listen()).contains(new StintConfig.HostPort("0.0.0.0", 9090));
  }

  /**
   * Prometheus scrapes from another pod, which /metrics refuses without a token: stint reads one
   * from the stint-metrics Secret, mounted as a file, and no annotation invites a generic job to
   * scrape (and be sent it).
   */
  @Test
  void prometheusScrapesWithATokenFromAMountedSecret() throws Exception {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    JsonNode deployment = yaml.readTree(Path.of("deploy/kubernetes/base/deployment.yaml").toFile());
    JsonNode stintYaml =
        yaml.readTree(
            yaml.readTree(Path.of("deploy/kubernetes/base/configmap.yaml").toFile())
                .at("/data/stint.yaml")
                .asText());
    assertThat(deployment.at("/spec/template/metadata/annotations").toString())
        .doesNotContain("prometheus.io/scrape");
    Path tokenFile = Path.of(stintYaml.at("/metrics/token_file").asText());
    assertThat(secretBehind(deployment, tokenFile)).isEqualTo("stint-metrics");

    String secrets = Files.readString(Path.of("deploy/kubernetes/base/secrets.example.yaml"));
    String secret = secrets.substring(secrets.indexOf("name: stint-metrics"));
    String example =
        secret
            .substring(secret.indexOf("token: ") + "token: ".length())
            .lines()
            .findFirst()
            .orElseThrow();
    Path here = Files.writeString(dir.resolve("token"), example);
    Path file = Files.writeString(dir.resolve("stint.yaml"), stintYaml.toString());
    Path password = Files.writeString(dir.resolve("password"), "pw");
    StintConfig config =
        ConfigLoader.load(
            Optional.of(file),
            Map.of(
                "STINT_DATABASE_PASSWORD_FILE", password.toString(),
                "STINT_METRICS_TOKEN_FILE", here.toString()));
    assertThat(config.metrics().token()).contains(example.strip());
  }

  /** The Secret whose mounted file {@code file} is, read off the Deployment's mounts. */
  private static String secretBehind(JsonNode deployment, Path file) {
    JsonNode container = deployment.at("/spec/template/spec/containers/0");
    String volume = null;
    for (JsonNode m : container.path("volumeMounts")) {
      if (file.startsWith(m.path("mountPath").asText())) {
        assertThat(m.path("readOnly").asBoolean()).isTrue();
        volume = m.path("name").asText();
      }
    }
    for (JsonNode v : deployment.at("/spec/template/spec/volumes")) {
      if (v.path("name").asText().equals(volume)) {
        return v.at("/secret/secretName").asText();
      }
    }
    throw new AssertionError("no Secret is mounted where " + file + " is");
  }

  @Test
  void aNetworkPolicyLetsOnlyTheIngressAndPrometheusReachTheStintPods() throws Exception {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    JsonNode policy = yaml.readTree(Path.of("deploy/kubernetes/base/networkpolicy.yaml").toFile());
    JsonNode deployment = yaml.readTree(Path.of("deploy/kubernetes/base/deployment.yaml").toFile());
    JsonNode kustomization =
        yaml.readTree(Path.of("deploy/kubernetes/base/kustomization.yaml").toFile());

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
    assertThat(ports)
        .contains("\"name\":\"http\"")
        .contains("\"name\":\"metrics\"")
        .contains("9090");
  }

  /**
   * stint calls no Kubernetes API, so its pods get no service-account token: a token mounted for
   * nothing is one more credential an intruder in the pod could use.
   */
  @Test
  void neitherTheServiceAccountNorThePodMountsAServiceAccountToken() throws Exception {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    JsonNode account =
        yaml.readTree(Path.of("deploy/kubernetes/base/serviceaccount.yaml").toFile());
    JsonNode deployment = yaml.readTree(Path.of("deploy/kubernetes/base/deployment.yaml").toFile());

    assertThat(account.path("automountServiceAccountToken").isBoolean()).isTrue();
    assertThat(account.path("automountServiceAccountToken").asBoolean()).isFalse();
    JsonNode pod = deployment.at("/spec/template/spec");
    assertThat(pod.path("automountServiceAccountToken").isBoolean()).isTrue();
    assertThat(pod.path("automountServiceAccountToken").asBoolean()).isFalse();
  }

  /**
   * The database password is a file from the stint-database Secret, read at boot; no Secret reaches
   * the environment, which child processes inherit and crash reports and {@code kubectl describe}
   * show.
   */
  @Test
  void theDatabasePasswordComesFromAMountedSecretFileNotTheEnvironment() throws Exception {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    JsonNode deployment = yaml.readTree(Path.of("deploy/kubernetes/base/deployment.yaml").toFile());
    JsonNode stintYaml =
        yaml.readTree(
            yaml.readTree(Path.of("deploy/kubernetes/base/configmap.yaml").toFile())
                .at("/data/stint.yaml")
                .asText());
    JsonNode container = deployment.at("/spec/template/spec/containers/0");

    assertThat(container.has("envFrom")).isFalse();
    assertThat(container.path("env").toString())
        .doesNotContain("secretKeyRef", "DATABASE", "TOKEN");
    assertThat(DatabaseUrl.parse(stintYaml.at("/database/url").asText()).password()).isEmpty();
    Path passwordFile = Path.of(stintYaml.at("/database/password_file").asText());
    JsonNode mount = null;
    for (JsonNode m : container.path("volumeMounts")) {
      if (passwordFile.startsWith(m.path("mountPath").asText())) {
        mount = m;
      }
    }
    assertThat(mount).as("a mount holding " + passwordFile).isNotNull();
    assertThat(mount.path("readOnly").asBoolean()).isTrue();
    JsonNode volume = null;
    for (JsonNode v : deployment.at("/spec/template/spec/volumes")) {
      if (v.path("name").equals(mount.path("name"))) {
        volume = v;
      }
    }
    assertThat(volume.at("/secret/secretName").asText()).isEqualTo("stint-database");
    assertThat(volume.at("/secret/items/0/path").asText())
        .isEqualTo(Path.of(mount.path("mountPath").asText()).relativize(passwordFile).toString());
  }

  /**
   * The CloudNativePG overlay: the base plus a cluster whose commits wait for a synchronous standby
   * (stint answers for no audit record a failover could lose), and stint on the cluster's
   * read-write service, with the operator's password as a file and TLS checked against the
   * operator's CA, under the same names the operator gives them.
   */
  @Test
  void theCloudNativePgOverlayPointsStintAtTheReadWriteServiceOfASynchronousCluster()
      throws Exception {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    Path overlay = Path.of("deploy/kubernetes/overlays/cloudnativepg");
    JsonNode kustomization = yaml.readTree(overlay.resolve("kustomization.yaml").toFile());
    assertThat(kustomization.path("resources").toString()).contains("../../base", "cluster.yaml");
    JsonNode cluster = yaml.readTree(overlay.resolve("cluster.yaml").toFile());
    assertThat(cluster.path("kind").asText()).isEqualTo("Cluster");
    String name = cluster.at("/metadata/name").asText();
    assertThat(cluster.at("/spec/instances").asInt()).isGreaterThanOrEqualTo(3);
    assertThat(cluster.at("/spec/postgresql/synchronous/number").asInt()).isPositive();
    assertThat(cluster.at("/spec/postgresql/synchronous/dataDurability").asText())
        .isEqualTo("required");
    assertThat(cluster.at("/spec/enableSuperuserAccess").asBoolean(true)).isFalse();

    JsonNode patch = yaml.readTree(overlay.resolve("deployment-database.yaml").toFile());
    JsonNode env = patch.at("/spec/template/spec/containers/0/env/0");
    assertThat(env.path("name").asText()).isEqualTo("STINT_DATABASE_URL");
    DatabaseUrl url = DatabaseUrl.parse(env.path("value").asText());
    assertThat(url.host()).startsWith(name + "-rw.");
    assertThat(url.password()).isEmpty();
    assertThat(url.params()).containsEntry("sslmode", "verify-full");
    Map<String, String> secretOfMount = new HashMap<>();
    for (JsonNode v : patch.at("/spec/template/spec/volumes")) {
      secretOfMount.put(v.path("name").asText(), v.at("/secret/secretName").asText());
    }
    assertThat(secretOfMount)
        .containsEntry("database-password", name + "-app")
        .containsEntry("database-ca", name + "-ca");
    assertThat(patch.at("/spec/template/spec/containers/0/volumeMounts/0/mountPath").asText())
        .isEqualTo(Path.of(url.params().get("sslrootcert")).getParent().toString());
  }
}
