package dev.stint.audit;

import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Refuses events that carry something shaped like a secret. A hit is a programming bug in the
 * caller (it should have stored {@link Fingerprints#sha256} instead), so it is an INTERNAL error
 * and nothing is written. The error names the field, never the value.
 */
final class SecretGuard {
  private static final Set<String> SECRET_KEYS = Set.of(
      "secret", "secret_access_key", "secretaccesskey", "session_token", "sessiontoken", "token",
      "access_token", "id_token", "refresh_token", "bearer", "authorization", "password",
      "passwd", "private_key", "privatekey", "client_secret", "assertion", "client_assertion",
      "api_key", "apikey", "credentials", "signin_token", "signintoken");
  private static final Pattern JWT =
      Pattern.compile("eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*(\\.[A-Za-z0-9_-]*){0,2}");
  // An AWS secret access key: 40 base64 characters, unbroken, mixing upper and lower case and
  // digits. Session tokens, signin tokens and other long opaque blobs: 100+ token characters
  // unbroken. Both are found by one pass over the value (see runs), not by regular expressions:
  // every audit event goes through here, and the equivalent patterns cost a matcher per value
  // and a lookahead per position. SecretGuardTest checks the pass against those patterns.
  private static final int AWS_SECRET_KEY_LENGTH = 40;
  private static final int OPAQUE_BLOB_LENGTH = 100;
  private static final Pattern PEM_PRIVATE = Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----");

  private SecretGuard() {}

  static void check(AuditEvent e) {
    String[][] fields = {
        {"actor_issuer", e.actor().issuer()}, {"actor_subject", e.actor().subject()},
        {"actor_email", e.actor().email()}, {"request_id", e.requestId()},
        {"grant_id", e.grantId()}, {"profile", e.profile()}, {"cloud", e.cloud()},
        {"target", e.target()}, {"outcome", e.outcome()}, {"reason", e.reason()},
        {"client_address", e.clientAddress()}, {"user_agent", e.userAgent()}};
    for (String[] f : fields) {
      refuseIf(valueProblem(f[1]), e.type(), f[0]);
    }
    checkValue(e.details(), "details", e.type());
  }

  private static void checkValue(Object v, String path, String type) {
    if (v instanceof Map<?, ?> m) {
      m.forEach((k, x) -> {
        String key = String.valueOf(k);
        if (isSecretKey(key)) {
          refuseIf(Optional.of("has a secret-looking key"), type, path + "." + key);
        }
        checkValue(x, path + "." + key, type);
      });
    } else if (v instanceof Collection<?> c) {
      c.forEach(x -> checkValue(x, path + "[]", type));
    } else if (v instanceof String s) {
      refuseIf(valueProblem(s), type, path);
    }
  }

  static boolean isSecretKey(String key) {
    String k = key.toLowerCase(Locale.ROOT).replace('-', '_');
    return SECRET_KEYS.contains(k) || k.endsWith("_token") || k.endsWith("_secret")
        || k.endsWith("_password") || k.endsWith("_private_key") || k.endsWith("_assertion");
  }

  static Optional<String> valueProblem(String s) {
    if (s == null) {
      return Optional.empty();
    }
    if (s.contains("eyJ") && JWT.matcher(s).find()) {
      return Optional.of("holds a JWT-shaped value");
    }
    Runs runs = runs(s);
    if (runs.awsSecretKey()) {
      return Optional.of("holds an AWS-secret-key-shaped value");
    }
    if (runs.longestToken() >= OPAQUE_BLOB_LENGTH) {
      return Optional.of("holds a long opaque token-shaped value");
    }
    if (s.contains("-----BEGIN") && PEM_PRIVATE.matcher(s).find()) {
      return Optional.of("holds a private key");
    }
    return Optional.empty();
  }

  /**
   * What one pass finds: whether some maximal run of base64 characters ({@code A-Za-z0-9/+=}) is
   * exactly 40 long and holds an upper-case letter, a lower-case letter and a digit; and the
   * longest run of token characters (base64 plus {@code _} and {@code -}).
   */
  record Runs(boolean awsSecretKey, int longestToken) {}

  static Runs runs(String s) {
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
        awsSecretKey |= base64 == AWS_SECRET_KEY_LENGTH && upper && lower && digit;
        base64 = 0;
        upper = false;
        lower = false;
        digit = false;
      }
      token = isBase64 || c == '_' || c == '-' ? token + 1 : 0;
      longestToken = Math.max(longestToken, token);
    }
    return new Runs(awsSecretKey, longestToken);
  }

  private static void refuseIf(Optional<String> problem, String type, String field) {
    if (problem.isPresent()) {
      throw new StintException(ErrorCode.INTERNAL, "audit event " + type + " refused: " + field
          + " " + problem.get() + " (store Fingerprints.sha256 of it instead)");
    }
  }
}
