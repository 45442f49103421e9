package dev.stint.common;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds text shaped like a secret: a JWT, an AWS secret access key, a task lease's or an enrolled
 * agent's token, a long opaque token, a PEM private key. The audit uses it to refuse stint's own
 * values and to redact callers' values; the log encoder uses it so that nothing a caller sends
 * reaches a log line in the clear.
 */
public final class SecretShapes {
  private static final Pattern JWT =
      Pattern.compile(
          "eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*(\\.[A-Za-z0-9_-]*){0,2}");
  // An AWS secret access key: 40 base64 characters, unbroken, mixing upper and lower case and
  // digits. Session tokens, signin tokens and other long opaque blobs: 100+ token characters
  // unbroken. Both are found by one pass over the value (see scan), not by regular expressions:
  // every audit event and log line goes through here, and the equivalent patterns cost a matcher
  // per value and a lookahead per position. SecretGuardTest checks the pass against them.
  private static final int AWS_SECRET_KEY_LENGTH = 40;
  private static final int OPAQUE_BLOB_LENGTH = 100;
  // A task lease's token (lease.LeaseTokens): short enough to pass as neither of the above.
  private static final Pattern LEASE_TOKEN =
      Pattern.compile("stl_[a-z2-7]{24}\\.[A-Za-z0-9_-]{43}");
  // An enrolled agent's token (agent.AgentTokens), of the same form.
  private static final Pattern AGENT_TOKEN =
      Pattern.compile("sta_[a-z2-7]{24}\\.[A-Za-z0-9_-]{43}");
  private static final Pattern PEM_PRIVATE = Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----");
  private static final Pattern PEM_END = Pattern.compile("-----END [A-Z ]*PRIVATE KEY-----");

  private SecretShapes() {}

  /** Which shape {@code s} holds, worded to follow a field name; empty when none. */
  public static Optional<String> problem(String s) {
    if (s == null) {
      return Optional.empty();
    }
    if (s.contains("eyJ") && JWT.matcher(s).find()) {
      return Optional.of("holds a JWT-shaped value");
    }
    if (s.contains("stl_") && LEASE_TOKEN.matcher(s).find()) {
      return Optional.of("holds a lease-token-shaped value");
    }
    if (s.contains("sta_") && AGENT_TOKEN.matcher(s).find()) {
      return Optional.of("holds an agent-token-shaped value");
    }
    Scan scan = scan(s);
    if (scan.awsSecretKey()) {
      return Optional.of("holds an AWS-secret-key-shaped value");
    }
    if (scan.longestToken() >= OPAQUE_BLOB_LENGTH) {
      return Optional.of("holds a long opaque token-shaped value");
    }
    if (s.contains("-----BEGIN") && PEM_PRIVATE.matcher(s).find()) {
      return Optional.of("holds a private key");
    }
    return Optional.empty();
  }

  /**
   * {@code s} with every secret-shaped part replaced by {@code marker} of that part; {@code s}
   * itself when nothing matched. Only the parts go, so the rest of a sentence stays readable.
   */
  public static String redact(String s, UnaryOperator<String> marker) {
    if (s == null || problem(s).isEmpty()) {
      return s;
    }
    List<int[]> spans = merged(spans(s));
    StringBuilder out = new StringBuilder(s.length());
    int at = 0;
    for (int[] span : spans) {
      out.append(s, at, span[0]).append(marker.apply(s.substring(span[0], span[1])));
      at = span[1];
    }
    String redacted = out.append(s.substring(at)).toString();
    // The parts are found by the same rules as problem(); should a join of the pieces still
    // look like a secret, nothing of the value is kept.
    return problem(redacted).isEmpty() ? redacted : marker.apply(s);
  }

  /**
   * What one pass finds: whether some maximal run of base64 characters ({@code A-Za-z0-9/+=}) is
   * exactly 40 long and holds an upper-case letter, a lower-case letter and a digit; the longest
   * run of token characters (base64 plus {@code _} and {@code -}); and where such runs are.
   */
  public record Scan(boolean awsSecretKey, int longestToken, List<int[]> spans) {}

  public static Scan scan(String s) {
    List<int[]> spans = new ArrayList<>();
    boolean awsSecretKey = false;
    int longestToken = 0;
    int token = 0;
    int base64 = 0;
    boolean upper = false;
    boolean lower = false;
    boolean digit = false;
    for (int i = 0; i <= s.length(); i++) {
      char c = i < s.length() ? s.charAt(i) : '\0';
      boolean isUpper = c >= 'A' && c <= 'Z';
      boolean isLower = c >= 'a' && c <= 'z';
      boolean isDigit = c >= '0' && c <= '9';
      boolean isBase64 = isUpper || isLower || isDigit || c == '/' || c == '+' || c == '=';
      if (isBase64) {
        base64++;
        upper |= isUpper;
        lower |= isLower;
        digit |= isDigit;
      } else {
        if (base64 == AWS_SECRET_KEY_LENGTH && upper && lower && digit) {
          awsSecretKey = true;
          spans.add(new int[] {i - base64, i});
        }
        base64 = 0;
        upper = false;
        lower = false;
        digit = false;
      }
      boolean isToken = isTokenChar(c);
      if (!isToken && token >= OPAQUE_BLOB_LENGTH) {
        spans.add(new int[] {i - token, i});
      }
      token = isToken ? token + 1 : 0;
      longestToken = Math.max(longestToken, token);
    }
    return new Scan(awsSecretKey, longestToken, spans);
  }

  /**
   * Whether {@code c} belongs in a token: base64 ({@code A-Za-z0-9/+=}) or {@code _} and {@code -}.
   * A cut through a run of these can change what shape the run has.
   */
  public static boolean isTokenChar(char c) {
    return c >= 'A' && c <= 'Z'
        || c >= 'a' && c <= 'z'
        || c >= '0' && c <= '9'
        || c == '/'
        || c == '+'
        || c == '='
        || c == '_'
        || c == '-';
  }

  private static List<int[]> spans(String s) {
    List<int[]> spans = new ArrayList<>(scan(s).spans());
    Matcher jwt = JWT.matcher(s);
    while (jwt.find()) {
      spans.add(new int[] {jwt.start(), jwt.end()});
    }
    for (Pattern own : List.of(LEASE_TOKEN, AGENT_TOKEN)) {
      Matcher token = own.matcher(s);
      while (token.find()) {
        spans.add(new int[] {token.start(), token.end()});
      }
    }
    Matcher pem = PEM_PRIVATE.matcher(s);
    while (pem.find()) {
      Matcher end = PEM_END.matcher(s);
      spans.add(new int[] {pem.start(), end.find(pem.end()) ? end.end() : s.length()});
    }
    return spans;
  }

  private static List<int[]> merged(List<int[]> spans) {
    spans.sort((a, b) -> Integer.compare(a[0], b[0]));
    List<int[]> out = new ArrayList<>();
    for (int[] span : spans) {
      int[] last = out.isEmpty() ? null : out.get(out.size() - 1);
      if (last != null && span[0] <= last[1]) {
        last[1] = Math.max(last[1], span[1]);
      } else {
        out.add(new int[] {span[0], span[1]});
      }
    }
    return out;
  }
}
