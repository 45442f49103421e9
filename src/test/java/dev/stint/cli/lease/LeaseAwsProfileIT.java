package dev.stint.cli.lease;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.cli.lease.LeaseApiStandIn.Received;
import dev.stint.testing.CliRun;
import dev.stint.testing.LocalTools;
import dev.stint.testing.StintScript;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stint lease create --aws-profile NAME}, then the real AWS CLI v2 resolving that profile
 * with nothing else configured: its {@code credential_process} starts this build's stint on the
 * lease's token file (in a folder whose name has a space, so the quoting is tested too), which
 * mints with the lease token alone.
 */
class LeaseAwsProfileIT {
  @TempDir Path home;
  LeaseApiStandIn api;

  @BeforeEach
  void start() throws Exception {
    api = new LeaseApiStandIn(LeaseCliTest.PERSON);
  }

  @AfterEach
  void stop() throws Exception {
    api.close();
  }

  @Test
  void theAwsCliMintsOnTheLeaseThroughTheWrittenProfile() throws Exception {
    Path aws = LocalTools.awsCli();
    Path stint = StintScript.write(home.resolve("bin dir/stint"));
    Path configHome = home.resolve("config home");
    Path config = home.resolve(".aws/config");
    CliRun created =
        CliRun.run(
            home,
            Map.of(
                "STINT_SERVER", api.url(),
                "STINT_TOKEN", LeaseCliTest.PERSON,
                "STINT_COMMAND", stint.toString(),
                "XDG_CONFIG_HOME", configHome.toString()),
            "lease",
            "create",
            LeaseCliTest.REQUEST,
            "--task",
            "export",
            "--duration",
            "10m",
            "--aws-profile",
            "export-task");
    assertThat(created.exitCode()).as(created.err()).isZero();
    String lease = LeaseCliTest.leaseIdIn(created.out());
    Path tokenFile = configHome.resolve("stint/leases/" + lease + ".token");
    assertThat(Files.readString(config))
        .contains(
            "credential_process = '"
                + stint
                + "' credentials --lease-file '"
                + tokenFile
                + "' --server "
                + api.url());

    ProcessBuilder builder =
        new ProcessBuilder(
                aws.toString(),
                "configure",
                "export-credentials",
                "--profile",
                "export-task",
                "--format",
                "process")
            .directory(home.toFile())
            .redirectError(home.resolve("aws-stderr.txt").toFile());
    Map<String, String> penv = builder.environment();
    penv.keySet()
        .removeIf(k -> k.startsWith("AWS_") || k.startsWith("STINT_") || k.startsWith("XDG_"));
    penv.put("HOME", home.toString());
    penv.put("AWS_CONFIG_FILE", config.toString());
    penv.put("AWS_SHARED_CREDENTIALS_FILE", home.resolve("no-credentials").toString());
    penv.put("AWS_EC2_METADATA_DISABLED", "true");
    Process process = builder.start();
    byte[] out = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue())
        .as("aws: %s", Files.readString(home.resolve("aws-stderr.txt")))
        .isZero();

    JsonNode exported = new ObjectMapper().readTree(new String(out, StandardCharsets.UTF_8));
    assertThat(exported.path("AccessKeyId").asText()).isEqualTo("ASIASTANDINLEASE0001");
    Received minted = api.received().get(api.received().size() - 1);
    assertThat(minted.path()).isEqualTo("/v1/credentials");
    assertThat(minted.authorization()).isEqualTo("Bearer " + api.tokenOf(lease));
    assertThat(minted.body()).isEqualTo(new JsonObject().put("lease", lease));
  }
}
