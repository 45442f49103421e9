package dev.stint.cli.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.cli.ApiClient;
import dev.stint.cli.CliEnvironment;
import dev.stint.cli.ServerOptions;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code stint mcp --agent-file F [--server URL]}: an MCP server on stdio (the official Java SDK)
 * through which an enrolled agent asks for its own narrow, task-bound access and a person approves
 * it. It runs on the agent file alone, never a person's login; stdout carries MCP messages only
 * (logs go to stderr). It ends when its client closes stdin.
 */
@Command(
    name = "mcp",
    description =
        "Serve MCP on stdio for an enrolled agent: it asks for access, a person approves, it"
            + " uses the AWS profile stint writes.")
public final class McpCommand implements Callable<Integer> {
  @Option(
      names = "--agent-file",
      paramLabel = "FILE",
      required = true,
      description = "The agent token file 'stint agent enroll' wrote (0600).")
  Path agentFile;

  @Option(
      names = "--server",
      paramLabel = "URL",
      description = "stint server URL (default: $STINT_SERVER, else the local one).")
  String server;

  @Option(
      names = "--insecure",
      description = "Allow plain http to a server that is not on this machine.")
  boolean insecure;

  private final CliEnvironment env;

  public McpCommand(CliEnvironment env) {
    this.env = env;
  }

  @Override
  public Integer call() throws InterruptedException {
    AgentToken token = AgentToken.read(agentFile);
    URI url = ServerOptions.serverUrl(Optional.ofNullable(server), env);
    ApiClient api = new ApiClient(url, token.bearer(), insecure);
    Optional<String> region = env.get("AWS_REGION").or(() -> env.get("AWS_DEFAULT_REGION"));
    AgentTools tools =
        new AgentTools(api, lease -> AgentAwsProfile.write(env, agentFile, url, lease, region));
    CountDownLatch closed = new CountDownLatch(1);
    JacksonMcpJsonMapper json = new JacksonMcpJsonMapper(new ObjectMapper());
    StdioServerTransportProvider transport =
        new StdioServerTransportProvider(json, untilClosed(System.in, closed), System.out);
    McpSyncServer mcp =
        McpServer.sync(transport)
            .serverInfo("stint", "1")
            .jsonMapper(json)
            .instructions(
                "Cloud access for this agent, approved by a person: list_access, then"
                    + " request_access for the task; a person approves; access_status names the"
                    + " AWS profile to use; end_access when done. No tool ever returns a"
                    + " credential.")
            .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
            .tools(McpTools.all(tools))
            .build();
    closed.await();
    mcp.closeGracefully();
    return 0;
  }

  /** {@code in}, counting {@code closed} down when it ends: the client has gone. */
  private static InputStream untilClosed(InputStream in, CountDownLatch closed) {
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        return ended(super.read());
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        try {
          return ended(super.read(b, off, len));
        } catch (IOException e) {
          closed.countDown();
          throw e;
        }
      }

      private int ended(int n) {
        if (n < 0) {
          closed.countDown();
        }
        return n;
      }
    };
  }
}
