package dev.stint.web;

import java.util.regex.Pattern;

/**
 * Where a browser goes back to after signing in: a page under {@code /ui}, never elsewhere (no open
 * redirect) and never the sign-in pages themselves. The guard sends a signed-out visitor to sign in
 * with it, and the sign-in reads it back; each makes it safe, as neither trusts the other's copy
 * that came through the browser.
 */
final class ReturnTarget {
  private static final Pattern SAFE =
      Pattern.compile("/ui(/[A-Za-z0-9._~/-]*)?(\\?[A-Za-z0-9._~%&=+,:-]*)?");

  private ReturnTarget() {}

  /** {@code target} when it stays on the pages, else {@code /ui}. */
  static String safe(String target) {
    return target != null
            && target.length() <= 512
            && SAFE.matcher(target).matches()
            && !target.contains("//")
            && !target.startsWith("/ui/login")
            && !target.startsWith("/ui/callback")
            && !target.startsWith("/ui/logout")
        ? target
        : "/ui";
  }
}
