package dev.stint.http;

import dev.stint.error.ErrorCode;

/**
 * The one mapping from stint's error codes to HTTP statuses, used by the API and the web pages
 * alike. An exhaustive switch: a new code does not compile until it has a status here.
 */
public final class HttpStatuses {
  private HttpStatuses() {}

  /** The HTTP status a response carrying {@code code} is sent with. */
  public static int of(ErrorCode code) {
    return switch (code) {
      case INVALID_REQUEST -> 400;
      case UNAUTHENTICATED -> 401;
      case FORBIDDEN, APPROVAL_REQUIRED -> 403;
      case NOT_FOUND -> 404;
      case METHOD_NOT_ALLOWED -> 405;
      case CONFLICT, STAGE_NOT_OPEN -> 409;
      case PAYLOAD_TOO_LARGE -> 413;
      case UNSUPPORTED_MEDIA_TYPE -> 415;
      case RATE_LIMITED, REVOCATIONS_PACED -> 429;
      case INTERNAL -> 500;
      case UPSTREAM_UNAVAILABLE, AUDIT_UNAVAILABLE, UNAVAILABLE -> 503;
    };
  }
}
