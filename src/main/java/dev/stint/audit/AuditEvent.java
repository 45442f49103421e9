package dev.stint.audit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One thing that happened and must be on the record: who did what, to which request, grant or
 * profile, with what outcome and why. Build with {@link #builder(String)}; every field but the type
 * is optional. Details hold only strings, booleans, whole numbers, lists and maps, so the canonical
 * form (and so the hash) survives the round trip through Postgres {@code jsonb}.
 */
public record AuditEvent(
    String type,
    Actor actor,
    String requestId,
    String grantId,
    String profile,
    String cloud,
    String target,
    String outcome,
    String reason,
    String clientAddress,
    String userAgent,
    Map<String, Object> details) {

  private static final Pattern TYPE = Pattern.compile("[a-z][a-z_]*(\\.[a-z][a-z_]*)+");

  /** Who acted; any part may be null (a timer expiring a grant has no subject). */
  public record Actor(String issuer, String subject, String email) {
    public static final Actor NONE = new Actor(null, null, null);

    /** stint itself: expiry sweeps, policy reloads. */
    public static final Actor SYSTEM = new Actor("stint", "system", null);
  }

  public AuditEvent {
    Objects.requireNonNull(type, "type");
    if (!TYPE.matcher(type).matches()) {
      throw new IllegalArgumentException(
          "audit event type must look like 'grant.revoked': " + type);
    }
    actor = actor == null ? Actor.NONE : actor;
    for (String text :
        new String[] {
          actor.issuer(),
          actor.subject(),
          actor.email(),
          requestId,
          grantId,
          profile,
          cloud,
          target,
          outcome,
          reason,
          clientAddress,
          userAgent
        }) {
      CanonicalJson.checkedText(text, "audit event " + type);
    }
    details = details == null ? Map.of() : CanonicalJson.copyChecked(details);
  }

  public static Builder builder(String type) {
    return new Builder(type);
  }

  /** Fills an event as a request goes, so denials are recorded as well as successes. */
  public static final class Builder {
    private final String type;
    private Actor actor = Actor.NONE;
    private String requestId;
    private String grantId;
    private String profile;
    private String cloud;
    private String target;
    private String outcome;
    private String reason;
    private String clientAddress;
    private String userAgent;
    private final Map<String, Object> details = new LinkedHashMap<>();

    private Builder(String type) {
      this.type = type;
    }

    public Builder actor(Actor actor) {
      this.actor = actor;
      return this;
    }

    public Builder actor(String issuer, String subject, String email) {
      return actor(new Actor(issuer, subject, email));
    }

    public Builder requestId(String v) {
      requestId = v;
      return this;
    }

    public Builder grantId(String v) {
      grantId = v;
      return this;
    }

    public Builder profile(String v) {
      profile = v;
      return this;
    }

    public Builder cloud(String v) {
      cloud = v;
      return this;
    }

    public Builder target(String v) {
      target = v;
      return this;
    }

    public Builder outcome(String v) {
      outcome = v;
      return this;
    }

    public Builder reason(String v) {
      reason = v;
      return this;
    }

    public Builder client(String address, String agent) {
      clientAddress = address;
      userAgent = agent;
      return this;
    }

    public Builder detail(String key, Object value) {
      details.put(key, value);
      return this;
    }

    /** Each of {@code more} as a detail (none when it is empty). */
    public Builder details(Map<String, Object> more) {
      details.putAll(more);
      return this;
    }

    public AuditEvent build() {
      return new AuditEvent(
          type,
          actor,
          requestId,
          grantId,
          profile,
          cloud,
          target,
          outcome,
          reason,
          clientAddress,
          userAgent,
          details);
    }
  }
}
