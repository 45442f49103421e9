package dev.stint.mint;

import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import java.util.Optional;

/**
 * A minting failure as the caller may see it: a stable code and a detail naming only the profile,
 * never an ARN, account id or upstream message (those go to the server log). {@code retryable}
 * tells callers that record failures (revocations) whether trying again may help.
 */
public final class MintException extends StintException {
  private final boolean retryable;
  private final Optional<String> misconfiguration;

  public MintException(ErrorCode code, String detail, boolean retryable, Throwable cause) {
    this(code, detail, retryable, cause, Optional.empty());
  }

  private MintException(
      ErrorCode code,
      String detail,
      boolean retryable,
      Throwable cause,
      Optional<String> misconfiguration) {
    super(code, detail, cause);
    this.retryable = retryable;
    this.misconfiguration = misconfiguration;
  }

  public boolean retryable() {
    return retryable;
  }

  /**
   * For a {@link #misconfigured} failure, what is wrong with stint's setup (caller-safe), without
   * the profile: calls that are not issuance (revocations) phrase their own message around it.
   */
  public Optional<String> misconfiguration() {
    return misconfiguration;
  }

  /** The grant ended before a credential could be minted. */
  public static MintException grantEnded() {
    return new MintException(ErrorCode.FORBIDDEN, "the grant has ended", false, null);
  }

  /** The cloud said no: its trust or permission setup does not allow stint this credential. */
  public static MintException refused(String cloud, String profile, Throwable cause) {
    return new MintException(
        ErrorCode.FORBIDDEN,
        cloud + " refused to issue credentials for profile " + profile,
        false,
        cause);
  }

  /** The cloud did not answer usefully (throttled, 5xx, timed out, unreachable). */
  public static MintException unavailable(String cloud, String profile, Throwable cause) {
    return new MintException(
        ErrorCode.UPSTREAM_UNAVAILABLE,
        cloud
            + " is unavailable; no credentials were issued for profile "
            + profile
            + "; try again shortly",
        true,
        cause);
  }

  /**
   * stint's own setup for the cloud is wrong (region, endpoint, role limits): an operator must fix
   * it. {@code what} must be caller-safe.
   */
  public static MintException misconfigured(String profile, String what, Throwable cause) {
    return new MintException(
        ErrorCode.UPSTREAM_UNAVAILABLE,
        "stint cannot issue credentials for profile " + profile + ": " + what,
        false,
        cause,
        Optional.of(what));
  }

  /** The caller's input was wrong (a bad console destination and the like). */
  public static MintException invalid(String detail) {
    return new MintException(ErrorCode.INVALID_REQUEST, detail, false, null);
  }
}
