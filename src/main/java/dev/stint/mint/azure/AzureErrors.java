package dev.stint.mint.azure;

import com.microsoft.aad.msal4j.MsalServiceException;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what azure-identity throws into a caller-safe {@link StintException}: Entra said no ({@code
 * forbidden}: no matching federated credential, unknown app, bad assertion) or Entra could not be
 * reached in time ({@code upstream_unavailable}). The caller sees only the profile; the log gets
 * Entra's HTTP status, OAuth error and {@code AADSTS} code.
 */
final class AzureErrors {
  /** What Entra answered, as far as the exception chain tells. */
  record Upstream(int httpStatus, String error, String aadsts) {
    static final Upstream NONE = new Upstream(0, "", "");
  }

  /** The assertion signer failed: stint's own fault, not Entra's. */
  static final class SigningFailed extends RuntimeException {
    SigningFailed(RuntimeException cause) {
      super("signing the client assertion failed", cause);
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(AzureErrors.class);
  private static final Pattern AADSTS = Pattern.compile("AADSTS[0-9]+");

  private AzureErrors() {}

  static Upstream upstream(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof MsalServiceException msal) {
        Matcher m = AADSTS.matcher(String.valueOf(msal.getMessage()));
        return new Upstream(
            msal.statusCode() == null ? 0 : msal.statusCode(),
            String.valueOf(msal.errorCode()),
            m.find() ? m.group() : "");
      }
    }
    return Upstream.NONE;
  }

  /** 4xx from the token endpoint: Entra's trust setup does not let stint have this token. */
  static boolean refused(Upstream upstream) {
    int s = upstream.httpStatus();
    return s >= 400 && s < 500 && s != 408 && s != 429;
  }

  static StintException refusal(String profile, Throwable cause) {
    return new StintException(
        ErrorCode.FORBIDDEN, "Entra refused to issue a token for profile " + profile, cause);
  }

  /** stint could not sign its assertion: the signer's error when caller-safe, else internal. */
  static StintException signing(String profile, Throwable cause) {
    if (cause instanceof StintException stint) {
      return stint;
    }
    LOG.error("Signing the Azure client assertion for profile {} failed", profile, cause);
    return new StintException(
        ErrorCode.INTERNAL, "stint could not sign a token for profile " + profile, cause);
  }

  static StintException unavailable(String profile, Throwable cause) {
    return new StintException(
        ErrorCode.UPSTREAM_UNAVAILABLE,
        "Entra is unavailable; no token "
            + "was issued for profile "
            + profile
            + "; try again shortly",
        cause);
  }
}
