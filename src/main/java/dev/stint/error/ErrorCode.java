package dev.stint.error;

/** The stable error codes of the HTTP API (ARCHITECTURE §4), each with its HTTP status and title. */
public enum ErrorCode {
  UNAUTHENTICATED(401, "Unauthenticated"),
  FORBIDDEN(403, "Forbidden"),
  NOT_FOUND(404, "Not found"),
  METHOD_NOT_ALLOWED(405, "Method not allowed"),
  INVALID_REQUEST(400, "Invalid request"),
  PAYLOAD_TOO_LARGE(413, "Request body too large"),
  UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
  CONFLICT(409, "Conflict"),
  APPROVAL_REQUIRED(403, "Approval required"),
  RATE_LIMITED(429, "Too many requests"),
  UPSTREAM_UNAVAILABLE(503, "Upstream unavailable"),
  AUDIT_UNAVAILABLE(503, "Audit log unavailable"),
  UNAVAILABLE(503, "Service unavailable"),
  INTERNAL(500, "Internal error");

  private final int status;
  private final String title;

  ErrorCode(int status, String title) {
    this.status = status;
    this.title = title;
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  /** The wire form, e.g. {@code audit_unavailable}. */
  public String code() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
