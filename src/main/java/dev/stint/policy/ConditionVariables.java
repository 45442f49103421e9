package dev.stint.policy;

import com.google.protobuf.Timestamp;
import dev.stint.identity.Principal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The values a policy condition is evaluated over: {@code principal}, {@code claims}, {@code
 * request} and {@code now}, with exactly the fields {@link Conditions} declares for them ({@link
 * Conditions#PRINCIPAL}, {@link Conditions#REQUEST}); keep the two in step.
 */
final class ConditionVariables {
  private ConditionVariables() {}

  /** The variables of a condition about a request of {@code profile}: what it asks, and who. */
  static Map<String, Object> ofRequest(Principal p, String profile, RequestFacts f, Instant now) {
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("profile", profile);
    request.put("duration_seconds", f.duration().toSeconds());
    request.put("reason", f.reason().orElse(""));
    request.put("ticket", f.ticket().orElse(""));
    request.put("break_glass", f.breakGlass());
    return of(p, request, now);
  }

  /** The CEL variables; absent email is "" so plain comparisons work without has(). */
  static Map<String, Object> of(Principal p, Map<String, Object> request, Instant now) {
    Map<String, Object> principal = new LinkedHashMap<>();
    principal.put("issuer", p.issuerName());
    principal.put("issuer_url", p.issuer());
    principal.put("subject", p.subject());
    principal.put("email", p.email().orElse(""));
    principal.put("groups", p.groups());
    return Map.of(
        "principal",
        principal,
        "claims",
        p.claims(),
        "request",
        request,
        "now",
        Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()).build());
  }
}
