package dev.stint.audit;

import dev.stint.common.Fingerprints;
import dev.stint.common.SecretShapes;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Refuses events that carry something shaped like a secret, after {@link AuditRedactor} has
 * redacted what callers supplied. What is left is stint's own (credential details, targets,
 * outcomes), where a hit is a programming bug (it should have stored {@link Fingerprints#sha256}
 * instead), so it is an INTERNAL error and nothing is written. The error names the field, never the
 * value. The actor's issuer and subject are not looked at: they are the person's key, an identifier
 * the issuer signed, not a secret (see AuditRedactor).
 */
final class SecretGuard {
  private static final Set<String> SECRET_KEYS =
      Set.of(
          "secret",
          "secret_access_key",
          "secretaccesskey",
          "session_token",
          "sessiontoken",
          "token",
          "access_token",
          "id_token",
          "refresh_token",
          "bearer",
          "authorization",
          "password",
          "passwd",
          "private_key",
          "privatekey",
          "client_secret",
          "assertion",
          "client_assertion",
          "api_key",
          "apikey",
          "credentials",
          "signin_token",
          "signintoken");

  private SecretGuard() {}

  static void check(AuditEvent e) {
    String[][] fields = {
      {"actor_email", e.actor().email()},
      {"request_id", e.requestId()},
      {"grant_id", e.grantId()},
      {"profile", e.profile()},
      {"cloud", e.cloud()},
      {"target", e.target()},
      {"outcome", e.outcome()},
      {"reason", e.reason()},
      {"client_address", e.clientAddress()},
      {"user_agent", e.userAgent()}
    };
    for (String[] f : fields) {
      refuseIf(valueProblem(f[1]), e.type(), f[0]);
    }
    checkValue(e.details(), "details", e.type());
  }

  private static void checkValue(Object v, String path, String type) {
    if (v instanceof Map<?, ?> m) {
      m.forEach(
          (k, x) -> {
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
    return SECRET_KEYS.contains(k)
        || k.endsWith("_token")
        || k.endsWith("_secret")
        || k.endsWith("_password")
        || k.endsWith("_private_key")
        || k.endsWith("_assertion");
  }

  static Optional<String> valueProblem(String s) {
    return SecretShapes.problem(s);
  }

  private static void refuseIf(Optional<String> problem, String type, String field) {
    if (problem.isPresent()) {
      throw new StintException(
          ErrorCode.INTERNAL,
          "audit event "
              + type
              + " refused: "
              + field
              + " "
              + problem.get()
              + " (store Fingerprints.sha256 of it instead)");
    }
  }
}
