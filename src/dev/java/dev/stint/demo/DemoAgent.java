package dev.stint.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code stint demo agent}: DEVELOPMENT ONLY. A scripted agent that does what a coding agent does
 * through {@code stint mcp}, with the official Java SDK's MCP client over stdio: it lists its
 * access, asks for {@code demo-bucket-read} narrowed to one bucket for one task, waits while a
 * person approves, lists the bucket with the AWS profile {@code access_status} names (the real AWS
 * CLI, at the demo's S3 stand-in), ends its access, and shows the S3 stand-in refusing the session
 * it still holds. It never sees a credential: only its AWS CLI does.
 */
@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    description = {
      "DEVELOPMENT ONLY: a scripted MCP client that asks stint mcp for demo-bucket-read, waits for",
      "a person's approval, lists the bucket with the AWS profile stint wrote, then ends its access."
    })
public final class DemoAgent implements Callable<Integer> {
  static final int EXIT_REFUSED = 3;

  @Option(
      names = "--agent-file",
      paramLabel = "FILE",
      required = true,
      description = "The agent file 'stint agent enroll' wrote.")
  Path agentFile;

  @Option(
      names = "--server",
      paramLabel = "URL",
      description = "The demo's stint (default: $STINT_SERVER).")
  String server;

  @Option(
      names = "--endpoint-url",
      paramLabel = "URL",
      required = true,
      description = "The demo's S3 stand-in, which the agent's AWS CLI calls.")
  String s3;

  @Option(
      names = "--wait",
      paramLabel = "DURATION",
      defaultValue = "PT10M",
      description = "How long to wait for a person's approval (ISO-8601; default 10 minutes).")
  Duration wait;

  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> env;

  DemoAgent(PrintStream out, PrintStream err, Map<String, String> env) {
    this.out = out;
    this.err = err;
    this.env = env;
  }

  @Override
  public Integer call() throws Exception {
    Optional<String> url = Optional.ofNullable(server).or(() -> value("STINT_SERVER"));
    if (url.isEmpty()) {
      err.println("stint demo agent: give --server URL or export STINT_SERVER (step 4)");
      return 2;
    }
    String stint = value("STINT_COMMAND").orElse("bin/stint");
    say("starting " + stint + " mcp --agent-file " + agentFile + " --server " + url.get());
    McpSyncClient client = client(stint, url.get());
    try {
      client.initialize();
      return new DemoAgentTask(client, new DemoAgentAws(s3, env), out, wait).run();
    } catch (DemoAgentRefused e) {
      say(e.getMessage());
      return EXIT_REFUSED;
    } finally {
      client.closeGracefully();
    }
  }

  /** The SDK's client of {@code stint mcp} on stdio; the server's stderr is passed on. */
  private McpSyncClient client(String stint, String url) {
    ServerParameters params =
        ServerParameters.builder(stint)
            .args("mcp", "--agent-file", agentFile.toString(), "--server", url)
            .build();
    StdioClientTransport transport =
        new StdioClientTransport(params, new JacksonMcpJsonMapper(new ObjectMapper()));
    transport.setStdErrorHandler(line -> err.println("stint mcp: " + line));
    return McpClient.sync(transport)
        .clientInfo(new McpSchema.Implementation("stint-demo-agent", "1"))
        .requestTimeout(Duration.ofSeconds(60))
        .initializationTimeout(Duration.ofSeconds(60))
        .build();
  }

  private Optional<String> value(String name) {
    return Optional.ofNullable(env.get(name)).filter(v -> !v.isBlank());
  }

  private void say(String line) {
    out.println("agent: " + line);
    out.flush();
  }
}
