package dev.stint.http;

/** Limits applied to every HTTP request. */
public final class HttpLimits {
  /** Bodies larger than this are refused with 413 before any handler reads them. */
  public static final int MAX_BODY_BYTES = 64 * 1024;

  /**
   * The largest event EventBridge delivers, and the body limit of {@link IngestRoutes#PATH} (the
   * only route with a limit of its own); a larger one there is refused with 400.
   */
  public static final int MAX_EVENT_BYTES = 256 * 1024;

  /** The body limit of requests to {@code path}. */
  static int bodyLimit(String path) {
    return IngestRoutes.PATH.equals(path) ? MAX_EVENT_BYTES : MAX_BODY_BYTES;
  }

  private HttpLimits() {}
}
