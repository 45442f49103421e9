package dev.stint.audit;

import dev.stint.common.SecretShapes;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Redacts what callers supplied before an event is written. A caller's text that looks like a
 * secret (a user agent, a reason, a ticket, a URL path, a profile name or request id, an email) is
 * bad input, not a bug in stint: refusing the event would turn it into an unaudited 500. So each
 * secret-shaped part is replaced by {@code [redacted hmac-sha256:…]}, a keyed fingerprint that lets
 * an auditor match the same value across events without being able to test guesses offline, and
 * {@code details.redacted} names the fields. Everything else stint produced itself and still goes
 * through {@link SecretGuard}, which refuses.
 *
 * <p>A caller's text longer than {@link #MAX_CALLER_TEXT} characters is cut there, and {@code
 * details.truncated} names the fields: a request with an 8 KB user agent, refused or not, must not
 * write 8 KB into every event it causes. The cut comes after redaction (a secret across it is never
 * half kept), never splits a marker, and drops a run of letters and digits that it would leave
 * shaped like an AWS secret key: {@link SecretGuard} would refuse that event, and the caller's
 * refusal would go unrecorded.
 *
 * <p>The actor's issuer and subject are never redacted: they are the person (issuer, sub), the key
 * every query, approval rule and revocation uses, and opaque identifiers such as Entra's pairwise
 * subjects look like secrets while granting nothing to whoever reads them (a token signed by the
 * issuer is still needed). Redacting them would make the person unrecognisable.
 */
public final class AuditRedactor {
  /** Details that carry a caller's text; every other detail is stint's own. */
  static final List<String> CALLER_DETAILS = List.of("ticket", "comment", "destination", "path");

  /**
   * As long as the longest reason a request may give: such a reason is cut only when the markers of
   * its redacted parts make it longer.
   */
  public static final int MAX_CALLER_TEXT = 1_000;

  private static final int MARKER_HEX = 32;
  private static final String MARKER_START = "[redacted hmac-sha256:";
  private static final int MARKER_LENGTH = MARKER_START.length() + MARKER_HEX + 1;
  private final byte[] key;

  public AuditRedactor(byte[] key) {
    if (key.length < 32) {
      throw new IllegalArgumentException("the audit fingerprint key must be 32 bytes or more");
    }
    this.key = key.clone();
  }

  /** A key of its own, for a single process (tests); servers share theirs through the database. */
  public static AuditRedactor withRandomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return new AuditRedactor(key);
  }

  /** The marker that stands for {@code value}: the same value always gets the same marker. */
  public String marker(String value) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      String hex = HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
      return MARKER_START + hex.substring(0, MARKER_HEX) + "]";
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JVM has HmacSHA256", e);
    }
  }

  /**
   * {@code e} with its caller-supplied secret-shaped parts redacted and overlong caller text cut;
   * {@code e} itself when neither applies.
   */
  public AuditEvent redact(AuditEvent e) {
    Changes changes = new Changes(new ArrayList<>(), new ArrayList<>());
    AuditEvent.Actor actor =
        new AuditEvent.Actor(
            e.actor().issuer(),
            e.actor().subject(),
            text("actor_email", e.actor().email(), changes));
    String requestId = text("request_id", e.requestId(), changes);
    String profile = text("profile", e.profile(), changes);
    String reason = text("reason", e.reason(), changes);
    String address = text("client_address", e.clientAddress(), changes);
    String agent = text("user_agent", e.userAgent(), changes);
    Map<String, Object> details = new LinkedHashMap<>(e.details());
    for (String k : CALLER_DETAILS) {
      if (details.get(k) instanceof String s) {
        details.put(k, text("details." + k, s, changes));
      }
    }
    if (changes.redacted().isEmpty() && changes.truncated().isEmpty()) {
      return e;
    }
    if (!changes.redacted().isEmpty()) {
      details.put("redacted", List.copyOf(changes.redacted()));
    }
    if (!changes.truncated().isEmpty()) {
      details.put("truncated", List.copyOf(changes.truncated()));
    }
    return new AuditEvent(
        e.type(),
        actor,
        requestId,
        e.grantId(),
        profile,
        e.cloud(),
        e.target(),
        e.outcome(),
        reason,
        address,
        agent,
        details);
  }

  /** The fields whose text was redacted, and those cut to length. */
  private record Changes(List<String> redacted, List<String> truncated) {}

  private String text(String field, String value, Changes changes) {
    String out = SecretShapes.redact(value, this::marker);
    // redact hands back the very same instance when nothing matched.
    if (out != value) {
      changes.redacted().add(field);
    }
    if (out != null && out.length() > MAX_CALLER_TEXT) {
      String kept = out.substring(0, cutAt(out));
      // The cut already steers clear of shapes; should one remain, it is redacted all the same.
      String again = SecretShapes.redact(kept, this::marker);
      if (again != kept && !changes.redacted().contains(field)) {
        changes.redacted().add(field);
      }
      out = again + "[cut from " + value.length() + " characters]";
      changes.truncated().add(field);
    }
    return out;
  }

  /**
   * Where to cut {@code s}: at the limit, but not inside a character's pair or a marker, and before
   * a run of letters and digits that the cut would leave shaped like a key.
   */
  private static int cutAt(String s) {
    int keep =
        Character.isHighSurrogate(s.charAt(MAX_CALLER_TEXT - 1))
            ? MAX_CALLER_TEXT - 1
            : MAX_CALLER_TEXT;
    int marker = s.lastIndexOf(MARKER_START, keep - 1);
    if (marker >= 0 && marker + MARKER_LENGTH > keep) {
      return marker;
    }
    if (SecretShapes.problem(s.substring(0, keep)).isPresent()) {
      while (keep > 0 && SecretShapes.isTokenChar(s.charAt(keep - 1))) {
        keep--;
      }
    }
    return keep;
  }
}
