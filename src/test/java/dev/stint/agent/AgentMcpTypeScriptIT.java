package dev.stint.agent;

import static dev.stint.agent.AgentServer.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.agent.AgentServer.Answer;
import dev.stint.common.SecretShapes;
import dev.stint.testing.LocalTools;
import dev.stint.testing.Patience;
import dev.stint.testing.StintScript;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stint mcp} driven by the TypeScript MCP SDK's client ({@code @modelcontextprotocol/sdk},
 * the one most agents are built on; the version pinned in {@code src/test/resources/mcp-ts}) over
 * stdio: it lists the tools, asks, waits while the holder approves, sees the lease active with its
 * AWS profile named, and ends it. The SDK checks each structured result against the tool's output
 * schema, so a result it could not take fails here. The client's output and the server's stderr
 * hold no token or key.
 */
class AgentMcpTypeScriptIT {
  static AgentServer s;
  @TempDir static Path home;

  @BeforeAll
  static void start() {
    s = new AgentServer();
  }

  @AfterAll
  static void stop() throws Exception {
    s.close();
  }

  @Test
  void theTypeScriptSdksClientAsksWaitsForTheHolderAndEndsItsAccess() throws Exception {
    Path client = installedClient();
    s.grant("ivy", "s3-read", "team-i");
    String agentToken = s.enroll("ivy", "coder", List.of("s3-read"), null).text("agent_token");
    Path agentFile = home.resolve("agent.token");
    Files.writeString(agentFile, agentToken + "\n");
    Files.setPosixFilePermissions(agentFile, PosixFilePermissions.fromString("rw-------"));
    Path stint = StintScript.write(home.resolve("bin/stint"));
    ProcessBuilder builder =
        new ProcessBuilder(
                "node",
                client.resolve("client.mjs").toString(),
                "list the team-i bucket for the weekly report",
                stint.toString(),
                "mcp",
                "--agent-file",
                agentFile.toString(),
                "--server",
                s.server.uri("/").toString().replaceAll("/$", ""))
            .directory(client.toFile())
            .redirectError(home.resolve("stderr.txt").toFile());
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("STINT_"));
    env.put("HOME", home.toString());
    env.put("STINT_COMMAND", stint.toString());
    env.put("AWS_CONFIG_FILE", home.resolve("aws-config").toString());
    Process node = builder.start();
    Map<String, JsonNode> steps = new LinkedHashMap<>();
    StringBuilder out = new StringBuilder();
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        out.append(line).append('\n');
        JsonNode step = JSON.readTree(line);
        steps.put(step.path("step").asText(), step.path("result"));
        if (step.path("step").asText().equals("request_access")) {
          approve(step.path("result").path("lease_id").asText());
        }
      }
    } finally {
      assertThat(node.waitFor(Patience.seconds(180), TimeUnit.MILLISECONDS)).isTrue();
    }
    String stderr = Files.readString(home.resolve("stderr.txt"));
    assertThat(node.exitValue()).as("node: %s", stderr).isZero();

    assertThat(steps.get("tools").findValuesAsText("name"))
        .containsExactlyInAnyOrder(
            "list_access", "request_access", "access_status", "lease_activity", "end_access");
    assertThat(steps.get("tools").findValuesAsText("input")).containsOnly("object");
    assertThat(steps.get("list_access").path("profiles").get(0).path("name").asText())
        .isEqualTo("s3-read");
    String leaseId = steps.get("request_access").path("lease_id").asText();
    assertThat(steps.get("request_access").path("state").asText()).isEqualTo("pending");
    assertThat(steps.get("access_status").path("state").asText()).isEqualTo("active");
    assertThat(steps.get("access_status").path("aws_profile").asText())
        .isEqualTo("stint-" + leaseId);
    assertThat(steps.get("end_access").path("state").asText()).isEqualTo("revoked");
    assertThat(steps.get("after").path("state").asText()).isEqualTo("revoked");
    assertThat(Files.readString(home.resolve("aws-config")))
        .contains("[profile stint-" + leaseId + "]");
    String transcript = out + stderr;
    assertThat(transcript).doesNotContain(agentToken).doesNotContain("sta_").doesNotContain("stl_");
    assertThat(SecretShapes.problem(transcript)).isEmpty();
  }

  /** The holder's approval, once the lease the client asked for is there to approve. */
  private static void approve(String leaseId) throws Exception {
    Answer approved =
        s.post(s.person("ivy"), "/v1/leases/" + leaseId + "/approve", JSON.createObjectNode());
    assertThat(approved.status()).as(approved.body().toString()).isEqualTo(200);
  }

  /**
   * The client and the SDK at the version its lock file pins, installed once per lock file under
   * {@code target/mcp-ts} with {@code npm ci}, running no package's install scripts.
   */
  static Path installedClient() throws Exception {
    Path npm = LocalTools.npm();
    Path source = Path.of("src/test/resources/mcp-ts");
    byte[] lock = Files.readAllBytes(source.resolve("package-lock.json"));
    String version =
        HexFormat.of()
            .formatHex(MessageDigest.getInstance("SHA-256").digest(lock))
            .substring(0, 12);
    Path dir = Path.of("target/mcp-ts", version).toAbsolutePath();
    for (String file : List.of("package.json", "package-lock.json", "client.mjs")) {
      Files.createDirectories(dir);
      Files.copy(source.resolve(file), dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
    if (!Files.isDirectory(dir.resolve("node_modules/@modelcontextprotocol/sdk"))) {
      Process p =
          new ProcessBuilder(npm.toString(), "ci", "--no-audit", "--no-fund", "--ignore-scripts")
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .start();
      String log = read(p.getInputStream());
      assertThat(p.waitFor(Patience.seconds(600), TimeUnit.MILLISECONDS)).as("npm ci").isTrue();
      assertThat(p.exitValue()).as("npm ci in %s: %s", dir, log).isZero();
    }
    return dir;
  }

  private static String read(InputStream in) throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }
}
