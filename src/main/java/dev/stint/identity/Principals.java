package dev.stint.identity;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds a {@link Principal} from claims that are already trusted: by the verifier after the
 * signature checks, and by {@code stint policy explain/test} from a claims file.
 */
public final class Principals {
  private Principals() {}

  public static Principal fromClaims(TrustedIssuer issuer, Map<String, ?> claims) {
    Map<String, Object> normal = normalize(claims);
    Object exp = normal.get("exp");
    Instant expires = exp instanceof Number n ? Instant.ofEpochSecond(n.longValue()) : Instant.MAX;
    return new Principal(
        issuer.name(),
        issuer.issuerUrl(),
        text(normal.get("sub")).orElse(""),
        text(normal.get("email")),
        groups(normal.get(issuer.groupsClaim())),
        normal,
        expires,
        text(normal.get("jti")));
  }

  private static Optional<String> text(Object value) {
    return value instanceof String s && !s.isBlank() ? Optional.of(s) : Optional.empty();
  }

  /** A groups claim may be a list of strings or, with some IdPs, one string. */
  private static List<String> groups(Object value) {
    if (value instanceof String s) {
      return List.of(s);
    }
    List<String> out = new ArrayList<>();
    if (value instanceof Collection<?> c) {
      c.stream().filter(String.class::isInstance).map(String.class::cast).forEach(out::add);
    }
    return out;
  }

  /**
   * JSON-shaped copies with the number types CEL understands (Long, Double); anything else (dates
   * from Nimbus) becomes epoch seconds or text. Nulls are dropped: CEL maps refuse them.
   */
  public static Map<String, Object> normalize(Map<String, ?> claims) {
    Map<String, Object> out = new LinkedHashMap<>();
    claims.forEach(
        (k, v) -> {
          Object n = normalizeValue(v);
          if (n != null) {
            out.put(k, n);
          }
        });
    return out;
  }

  private static Object normalizeValue(Object v) {
    if (v == null
        || v instanceof String
        || v instanceof Boolean
        || v instanceof Long
        || v instanceof Double) {
      return v;
    }
    if (v instanceof Float || v instanceof BigDecimal) {
      return ((Number) v).doubleValue();
    }
    if (v instanceof Number n) {
      return n.longValue();
    }
    if (v instanceof Date d) {
      return d.toInstant().getEpochSecond();
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> inner = new LinkedHashMap<>();
      m.forEach((k, x) -> inner.put(String.valueOf(k), normalizeValue(x)));
      inner.values().removeIf(Objects::isNull);
      return inner;
    }
    if (v instanceof Collection<?> c) {
      return c.stream().map(Principals::normalizeValue).filter(Objects::nonNull).toList();
    }
    return String.valueOf(v);
  }
}
