package dev.stint.error;

/**
 * An error meant for the caller: a stable code and a detail that is safe to show. Anything that
 * must stay server-side (ARNs, SQL, upstream bodies) goes in the log, never in {@code detail}.
 */
public class StintException extends RuntimeException {
  private final ErrorCode code;

  public StintException(ErrorCode code, String detail) {
    super(detail);
    this.code = code;
  }

  public StintException(ErrorCode code, String detail, Throwable cause) {
    super(detail, cause);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }

  /** The caller-safe explanation. */
  public String detail() {
    return getMessage();
  }

  public static StintException invalid(String detail) {
    return new StintException(ErrorCode.INVALID_REQUEST, detail);
  }

  public static StintException notFound(String detail) {
    return new StintException(ErrorCode.NOT_FOUND, detail);
  }

  public static StintException forbidden(String detail) {
    return new StintException(ErrorCode.FORBIDDEN, detail);
  }

  public static StintException conflict(String detail) {
    return new StintException(ErrorCode.CONFLICT, detail);
  }
}
