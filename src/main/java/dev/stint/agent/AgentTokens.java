package dev.stint.agent;

import dev.stint.common.Fingerprints;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An enrolled agent's secret: shown to its person once, kept only as its SHA-256, found by that
 * hash. It is {@code sta_}, the agent id's random part, a dot, then 256 random bits, as a lease's
 * token is: the prefix tells it from an OIDC token and a lease's at a glance, so a bearer of
 * neither shape is never looked up as one.
 */
public final class AgentTokens {
  private static final String PREFIX = "sta_";
  private static final String AGENT_PREFIX = "agt_";
  private static final Pattern SHAPE = Pattern.compile("sta_([a-z2-7]{24})\\.[A-Za-z0-9_-]{43}");

  private final SecureRandom random = new SecureRandom();

  /** A new token for agent {@code agentId}; the caller keeps only {@link #hash} of it. */
  public String issue(String agentId) {
    if (!agentId.matches("agt_[a-z2-7]{24}")) {
      throw new IllegalArgumentException("not an agent id");
    }
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return PREFIX
        + agentId.substring(AGENT_PREFIX.length())
        + "."
        + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Whether {@code bearer} has an agent token's shape (and is worth a lookup). */
  public static boolean looksLike(String bearer) {
    return bearer != null && SHAPE.matcher(bearer).matches();
  }

  /** The agent a token of that shape names; the lookup by its hash must still find that agent. */
  public static Optional<String> agentOf(String bearer) {
    if (bearer == null) {
      return Optional.empty();
    }
    Matcher m = SHAPE.matcher(bearer);
    return m.matches() ? Optional.of(AGENT_PREFIX + m.group(1)) : Optional.empty();
  }

  /** The lowercase hex SHA-256 a token is stored and found by. */
  public static String hash(String token) {
    return Fingerprints.sha256Hex(token.getBytes(StandardCharsets.UTF_8));
  }
}
