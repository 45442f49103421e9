package dev.stint.http;

/** Limits applied to every HTTP request. */
public final class HttpLimits {
  /** Bodies larger than this are refused with 413 before any handler reads them. */
  public static final int MAX_BODY_BYTES = 64 * 1024;

  private HttpLimits() {}
}
