package dev.stint.sink;

import dev.stint.audit.AuditEvent;
import dev.stint.audit.AuditRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Each audit event as an OCSF event of one of three classes (docs/audit.md, "OCSF"): Authentication
 * (3002) for sign-ins and refused identities, User Access Management (3005) for access being
 * granted or taken away, and API Activity (6003) for everything else. Fields OCSF has no place for
 * (request, grant, profile, cloud, details) travel in {@code unmapped}.
 */
final class OcsfMapping {
  static final String VERSION = "1.5.0";
  static final int AUTHENTICATION = 3002;
  static final int USER_ACCESS = 3005;
  static final int API_ACTIVITY = 6003;
  private static final Set<String> AUTH = Set.of("web.signed_in", "identity.refused");
  private static final Set<String> ASSIGN =
      Set.of("request.approved", "break_glass.used", "grant.extended");
  private static final Set<String> REVOKE =
      Set.of("grant.revoked", "grant.expired", "grant.revocation_applied");

  private OcsfMapping() {}

  /** The OCSF class and activity of a stint event type. */
  record Kind(int classUid, int activity) {}

  static Kind kind(String type) {
    if (AUTH.contains(type)) {
      return new Kind(AUTHENTICATION, 1); // Logon
    }
    if (ASSIGN.contains(type)) {
      return new Kind(USER_ACCESS, 1); // Assign Privileges
    }
    if (REVOKE.contains(type)) {
      return new Kind(USER_ACCESS, 2); // Revoke Privileges
    }
    return new Kind(API_ACTIVITY, apiActivity(type));
  }

  static Map<String, Object> map(AuditRecord r) {
    AuditEvent e = r.event();
    Kind kind = kind(e.type());
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("class_uid", kind.classUid());
    o.put("category_uid", kind.classUid() / 1000);
    o.put("activity_id", kind.activity());
    o.put("type_uid", kind.classUid() * 100L + kind.activity());
    o.put("time", r.occurredAt().toEpochMilli());
    boolean ok = "ok".equals(e.outcome()) || e.outcome() == null;
    o.put(
        "severity_id",
        "audit.tamper_detected".equals(e.type()) ? 5 : "error".equals(e.outcome()) ? 3 : 1);
    o.put("status_id", ok ? 1 : 2);
    o.put("status", ok ? "Success" : "Failure");
    if (e.reason() != null) {
      o.put("message", e.reason());
    }
    o.put(
        "metadata",
        Map.of(
            "version",
            VERSION,
            "uid",
            r.eventId().toString(),
            "sequence",
            r.seq(),
            "log_name",
            "stint audit",
            "product",
            Map.of("name", "stint", "vendor_name", "stint")));
    o.put("actor", actor(e));
    o.put(
        "src_endpoint",
        e.clientAddress() != null ? Map.of("ip", e.clientAddress()) : Map.of("name", "stint"));
    classFields(kind.classUid(), e, o);
    o.put("unmapped", unmapped(r));
    return o;
  }

  private static void classFields(int classUid, AuditEvent e, Map<String, Object> o) {
    if (classUid == API_ACTIVITY) {
      o.put("api", Map.of("operation", e.type()));
    } else if (classUid == AUTHENTICATION) {
      o.put("user", person(e));
    } else {
      // The event names the request, not its requester; the request id stands for the user
      // whose access changed, and the actor is who changed it.
      Map<String, Object> user = new LinkedHashMap<>();
      user.put("uid", e.requestId() != null ? e.requestId() : String.valueOf(e.grantId()));
      user.put("name", "requester of request " + e.requestId());
      o.put("user", user);
      o.put("privileges", List.of(e.profile() != null ? e.profile() : "unknown"));
      if (e.target() != null) {
        o.put("resource", Map.of("name", e.target()));
      }
    }
  }

  private static int apiActivity(String type) {
    if (type.endsWith(".created")
        || type.endsWith(".issued")
        || type.endsWith("_requested")
        || type.endsWith(".requested")) {
      return 1; // Create
    }
    if (type.equals("policy.reloaded") || type.equals("policy.refused")) {
      return 3; // Update: a refused one is an update that failed (its status says so)
    }
    return 99; // Other
  }

  private static Map<String, Object> actor(AuditEvent e) {
    if (e.actor().subject() == null || "stint".equals(e.actor().issuer())) {
      return Map.of("app_name", "stint");
    }
    return Map.of("user", person(e));
  }

  private static Map<String, Object> person(AuditEvent e) {
    Map<String, Object> user = new LinkedHashMap<>();
    user.put("uid", e.actor().subject() == null ? "unknown" : e.actor().subject());
    if (e.actor().email() != null) {
      user.put("email_addr", e.actor().email());
    }
    if (e.actor().issuer() != null) {
      user.put("domain", e.actor().issuer());
    }
    return user;
  }

  private static Map<String, Object> unmapped(AuditRecord r) {
    AuditEvent e = r.event();
    Map<String, Object> u = new LinkedHashMap<>();
    u.put("stint_type", e.type());
    u.put("outcome", e.outcome());
    u.put("request_id", e.requestId());
    u.put("grant_id", e.grantId());
    u.put("profile", e.profile());
    u.put("cloud", e.cloud());
    u.put("target", e.target());
    u.put("user_agent", e.userAgent());
    u.put("details", e.details());
    u.put("hash", r.hash());
    u.values().removeIf(Objects::isNull);
    return u;
  }
}
