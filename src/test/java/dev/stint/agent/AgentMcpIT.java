package dev.stint.agent;

import static dev.stint.agent.AgentServer.JSON;
import static dev.stint.agent.AgentServer.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.agent.AgentServer.Answer;
import dev.stint.common.SecretShapes;
import dev.stint.testing.DenyEvaluator.Session;
import dev.stint.testing.FakeAwsEndpoint.Call;
import dev.stint.testing.LocalTools;
import dev.stint.testing.Patience;
import dev.stint.testing.StintScript;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stint mcp} driven by the official Java SDK's MCP client over stdio, as a coding agent's
 * client drives it: the agent lists its access, asks, a person (its holder) approves, {@code
 * access_status} names the AWS profile stint wrote, the real AWS CLI uses that profile (its
 * credential_process minting the lease with the agent file) against the STS stand-in, and {@code
 * end_access} ends it, the session then denied in the IAM stand-in. The whole transcript, both
 * ways, and the server's stderr hold no key, secret, session token, lease token or agent token.
 */
class AgentMcpIT {
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
  void anAgentAsksIsApprovedUsesItsProfileAndEndsWithNoSecretInTheTranscript() throws Exception {
    Path aws = LocalTools.awsCli();
    String request = s.grant("ivy", "s3-read", "team-i");
    Answer enrolled = s.enroll("ivy", "coder", List.of("s3-read"), null);
    String agentToken = enrolled.text("agent_token");
    Path agentFile = home.resolve("agent.token");
    Files.writeString(
        agentFile,
        agentToken + "\n",
        java.nio.file.StandardOpenOption.CREATE_NEW,
        java.nio.file.StandardOpenOption.WRITE);
    Files.setPosixFilePermissions(agentFile, PosixFilePermissions.fromString("rw-------"));
    Path stint = StintScript.write(home.resolve("bin/stint"));
    Path config = home.resolve("aws-config");
    Path logged = home.resolve("transcript");
    Path wrapper = home.resolve("bin/stint-mcp-teed");
    Files.writeString(
        wrapper,
        "#!/bin/sh\ntee -a '"
            + logged
            + ".in' | '"
            + stint
            + "' \"$@\" | tee -a '"
            + logged
            + ".out'\n");
    wrapper.toFile().setExecutable(true);
    List<String> stderr = Collections.synchronizedList(new ArrayList<>());
    ServerParameters params =
        ServerParameters.builder(wrapper.toString())
            .args(
                "mcp",
                "--agent-file",
                agentFile.toString(),
                "--server",
                s.server.uri("/").toString().replaceAll("/$", ""))
            .env(
                Map.of(
                    "HOME", home.toString(),
                    "STINT_COMMAND", stint.toString(),
                    "AWS_CONFIG_FILE", config.toString(),
                    "AWS_REGION", "eu-west-1",
                    "PATH", System.getenv("PATH")))
            .build();
    JacksonMcpJsonMapper json = new JacksonMcpJsonMapper(new ObjectMapper());
    StdioClientTransport transport = new StdioClientTransport(params, json);
    transport.setStdErrorHandler(stderr::add);
    McpSyncClient client =
        McpClient.sync(transport)
            .requestTimeout(Duration.ofSeconds(60))
            .initializationTimeout(Duration.ofSeconds(120))
            .build();
    try {
      client.initialize();
      List<String> tools = client.listTools().tools().stream().map(McpSchema.Tool::name).toList();
      assertThat(tools)
          .containsExactlyInAnyOrder(
              "list_access", "request_access", "access_status", "lease_activity", "end_access");
      client
          .listTools()
          .tools()
          .forEach(t -> assertThat(t.inputSchema()).containsEntry("type", "object"));

      JsonNode listed = call(client, "list_access", Map.of());
      assertThat(listed.path("profiles").get(0).path("name").asText()).isEqualTo("s3-read");

      JsonNode asked =
          call(
              client,
              "request_access",
              Map.of(
                  "profile", "s3-read",
                  "task", "list the team-i bucket for the weekly report",
                  "duration", "20m"));
      String leaseId = asked.path("lease_id").asText();
      assertThat(asked.path("state").asText()).isEqualTo("pending");
      assertThat(asked.path("approval_url").asText()).endsWith("/ui/leases/" + leaseId);
      assertThat(asked.path("next").asText()).contains("call access_status in a minute");
      JsonNode waiting = call(client, "access_status", Map.of("lease_id", leaseId));
      assertThat(waiting.path("state").asText()).isEqualTo("pending");
      assertThat(waiting.has("aws_profile")).isFalse();

      Answer approved =
          s.post(s.person("ivy"), "/v1/leases/" + leaseId + "/approve", JSON.createObjectNode());
      assertThat(approved.status()).as(approved.body().toString()).isEqualTo(200);

      JsonNode active = call(client, "access_status", Map.of("lease_id", leaseId));
      assertThat(active.path("state").asText()).isEqualTo("active");
      String profile = active.path("aws_profile").asText();
      assertThat(profile).isEqualTo("stint-" + leaseId);
      assertThat(Files.readString(config))
          .contains("[profile " + profile + "]")
          .contains("credentials --agent-file " + agentFile + " --lease " + leaseId);

      JsonNode exported = awsExport(aws, config, profile);
      String keyId = exported.path("AccessKeyId").asText();
      String secret = exported.path("SecretAccessKey").asText();
      String sessionToken = exported.path("SessionToken").asText();
      assertThat(keyId).isNotEmpty();
      Call minted =
          s.sts.assumeCalls().stream()
              .filter(c -> String.valueOf(c.param("SourceIdentity")).endsWith("." + leaseId))
              .reduce((a, b) -> b)
              .orElseThrow();
      assertThat(minted.param("Policy")).contains("team-i");
      assertThat(s.sts.session(keyId)).isPresent();

      JsonNode activity = call(client, "lease_activity", Map.of("lease_id", leaseId));
      assertThat(activity.path("lease_id").asText()).isEqualTo(leaseId);

      JsonNode ended = call(client, "end_access", Map.of("lease_id", leaseId));
      assertThat(ended.path("state").asText()).isEqualTo("revoked");
      Instant later = Instant.now().plusSeconds(1);
      eventually(
          () -> s.iam.denies("reader", Session.of(minted, Instant.now().minusSeconds(5)), later),
          "the ended lease's session denied in IAM");
      JsonNode after = call(client, "access_status", Map.of("lease_id", leaseId));
      assertThat(after.path("state").asText()).isEqualTo("revoked");
      assertThat(request).isNotEmpty();

      String transcript =
          Files.readString(Path.of(logged + ".in"))
              + Files.readString(Path.of(logged + ".out"))
              + String.join("\n", stderr);
      assertThat(transcript).contains("request_access").contains(leaseId);
      assertThat(transcript)
          .doesNotContain(agentToken)
          .doesNotContain(agentToken.substring(agentToken.indexOf('.') + 1))
          .doesNotContain(keyId)
          .doesNotContain(secret)
          .doesNotContain(sessionToken)
          .doesNotContain("stl_")
          .doesNotContain("sta_");
      assertThat(SecretShapes.problem(transcript)).isEmpty();
    } finally {
      client.closeGracefully();
    }
  }

  /** The structured result of {@code tool}, which must not be an error. */
  static JsonNode call(McpSyncClient client, String tool, Map<String, Object> args) {
    McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest(tool, args));
    assertThat(result.isError()).as(tool + ": " + result.content()).isFalse();
    return JSON.valueToTree(result.structuredContent());
  }

  /** What the AWS CLI resolves for {@code profile}: its credential_process's answer. */
  static JsonNode awsExport(Path aws, Path config, String profile) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(
                aws.toString(),
                "configure",
                "export-credentials",
                "--profile",
                profile,
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
    assertThat(process.waitFor(Patience.seconds(120), TimeUnit.MILLISECONDS)).isTrue();
    assertThat(process.exitValue())
        .as("aws: %s", Files.readString(home.resolve("aws-stderr.txt")))
        .isZero();
    return JSON.readTree(new String(out, StandardCharsets.UTF_8));
  }
}
