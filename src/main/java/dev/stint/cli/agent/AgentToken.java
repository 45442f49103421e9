package dev.stint.cli.agent;

import dev.stint.cli.CliException;
import dev.stint.cli.PrivateFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * An enrolled agent's token ({@code sta_…}) as the CLI keeps it: written once to a private file
 * (the agent file {@code stint mcp --agent-file} reads), read back only from a file its owner alone
 * may read. It is a secret: no message here ever holds it, only where it came from.
 */
public final class AgentToken {
  /**
   * The shape of {@code dev.stint.agent.AgentTokens}'s tokens, which the CLI may not import: the
   * agent id's random part, a dot, 256 bits in unpadded base64url.
   */
  private static final Pattern SHAPE = Pattern.compile("sta_[a-z2-7]{24}\\.[A-Za-z0-9_-]{43}");

  private final String token;

  private AgentToken(String token) {
    this.token = token;
  }

  /** {@code text} as an agent token, or a refusal naming only {@code where} it came from. */
  public static AgentToken parse(String text, String where) {
    String stripped = text.strip();
    if (!SHAPE.matcher(stripped).matches()) {
      throw new CliException(
          CliException.USAGE,
          where
              + " does not hold a stint agent token (sta_…, as 'stint agent enroll' writes it);"
              + " nothing was sent");
    }
    return new AgentToken(stripped);
  }

  /** The token in {@code file}, refused when anyone but its owner may read or change it. */
  public static AgentToken read(Path file) {
    String where = "agent file " + file;
    return parse(PrivateFiles.readToken(file, where, "an agent token"), where);
  }

  /** Writes the token to {@code file}, 0600 in a 0700 directory from the first byte. */
  static void write(String token, Path file, String agentId) {
    try {
      PrivateFiles.write(file, parse(token, "the server's answer").token + "\n");
    } catch (IOException e) {
      throw new CliException(
          CliException.FAILED,
          "cannot write the agent token to "
              + file
              + ": "
              + e.getMessage()
              + "; the token is lost: revoke the agent with 'stint agent revoke "
              + agentId
              + "' and enroll another");
    }
  }

  /** The token itself: only for the Authorization header. */
  public String bearer() {
    return token;
  }

  @Override
  public String toString() {
    return "AgentToken[***]";
  }
}
