package dev.stint.standin;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Who signed a call to S3, or S3's refusal, in its words: an unsigned call is anonymous, and no
 * bucket here is public ({@code AccessDenied}); a signature that is not well formed is {@code
 * AuthorizationHeaderMalformed} ({@code SignatureDoesNotMatch} stays itself); a key the STS
 * stand-in did not mint, or one sent without its session token, is {@code InvalidAccessKeyId}; a
 * session token that is not the key's is {@code InvalidToken}; a session past its expiration is
 * {@code ExpiredToken}.
 */
final class S3Auth {
  /** The session that signed, or the refusal and the error document's extra elements. */
  record Caller(StsDocuments.Session session, Refusal refusal, Map<String, String> detail) {}

  private final Function<String, Optional<StsDocuments.Session>> sessions;
  private final Clock clock;

  S3Auth(Function<String, Optional<StsDocuments.Session>> sessions, Clock clock) {
    this.sessions = sessions;
    this.clock = clock;
  }

  Caller caller(QueryRequest request) {
    Optional<Refusal> unsigned = SigV4.check(request, "s3", SigV4.ANY_REGION);
    if (unsigned.isPresent()) {
      Refusal r = unsigned.get();
      return switch (r.code()) {
        case "MissingAuthenticationToken" -> refused(403, "AccessDenied", "Access Denied");
        case "SignatureDoesNotMatch" -> refused(403, r.code(), r.message());
        default -> refused(400, "AuthorizationHeaderMalformed", r.message());
      };
    }
    String key = SigV4.accessKeyId(request);
    String token = SigV4.securityToken(request);
    Optional<StsDocuments.Session> session = sessions.apply(key);
    if (session.isEmpty() || token == null) {
      return new Caller(
          null,
          Refusal.sender(
              403,
              "InvalidAccessKeyId",
              "The AWS Access Key Id you provided does not exist in our records."),
          Map.of("AWSAccessKeyId", key));
    }
    if (!session.get().credentials().sessionToken().equals(token)) {
      return refused(400, "InvalidToken", "The provided token is malformed or otherwise invalid.");
    }
    if (!clock.instant().isBefore(session.get().credentials().expiration())) {
      return refused(400, "ExpiredToken", "The provided token has expired.");
    }
    return new Caller(session.get(), null, Map.of());
  }

  private static Caller refused(int status, String code, String message) {
    return new Caller(null, Refusal.sender(status, code, message), Map.of());
  }
}
