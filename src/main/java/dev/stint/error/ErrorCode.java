package dev.stint.error;

import java.util.Locale;

/**
 * The stable error codes of the API (ARCHITECTURE §4), each with a title. The codes carry no
 * transport: the HTTP status of each lives in the http package (HttpStatuses), so the core that
 * raises them never depends on HTTP.
 */
public enum ErrorCode {
  UNAUTHENTICATED("Unauthenticated"),
  FORBIDDEN("Forbidden"),
  NOT_FOUND("Not found"),
  METHOD_NOT_ALLOWED("Method not allowed"),
  INVALID_REQUEST("Invalid request"),
  PAYLOAD_TOO_LARGE("Request body too large"),
  UNSUPPORTED_MEDIA_TYPE("Unsupported media type"),
  CONFLICT("Conflict"),
  STAGE_NOT_OPEN("Stage not open"),
  APPROVAL_REQUIRED("Approval required"),
  RATE_LIMITED("Too many requests"),
  /**
   * A person's own revocations are slowed, never refused: this one waits until earlier ones no
   * longer take their role's room (ARCHITECTURE §13).
   */
  REVOCATIONS_PACED("Too many of your own revocations at once"),
  UPSTREAM_UNAVAILABLE("Upstream unavailable"),
  AUDIT_UNAVAILABLE("Audit log unavailable"),
  UNAVAILABLE("Service unavailable"),
  INTERNAL("Internal error");

  private final String title;

  ErrorCode(String title) {
    this.title = title;
  }

  public String title() {
    return title;
  }

  /** The wire form, e.g. {@code audit_unavailable}. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
