package dev.stint.identity;

/** Why a token was refused: for the log only, never for the caller. */
final class TokenRefused extends RuntimeException {
  TokenRefused(String reason) {
    super(reason, null, false, false);
  }
}
