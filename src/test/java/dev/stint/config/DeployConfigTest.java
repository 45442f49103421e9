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
  }
}
