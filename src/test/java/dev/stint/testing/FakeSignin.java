package dev.stint.testing;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A fake AWS sign-in (federation) endpoint: {@code getSigninToken} answers the real JSON shape and
 * remembers the token (or fails, {@link #failWith}); {@code login} accepts only a token it issued.
 */
public final class FakeSignin extends FakeAwsEndpoint {
  private final Map<String, Map<String, String>> tokens = new ConcurrentHashMap<>();
  private volatile int failStatus;

  /** Every getSigninToken answers this HTTP status (0: succeed). */
  public FakeSignin failWith(int status) {
    this.failStatus = status;
    return this;
  }

  /** The getSigninToken parameters that produced a token, or null for an unknown token. */
  public Map<String, String> issuedFor(String signinToken) {
    return tokens.get(signinToken);
  }

  @Override
  protected Answer answer(Call call) {
    if (!"/federation".equals(call.path()) || !"GET".equals(call.method())) {
      return new Answer(404, "text/plain", "not found");
    }
    return switch (String.valueOf(call.param("Action"))) {
      case "getSigninToken" -> token(call);
      case "login" ->
          tokens.containsKey(String.valueOf(call.param("SigninToken")))
              ? new Answer(200, "text/html", "<html>console</html>")
              : new Answer(400, "text/plain", "bad token");
      default -> new Answer(400, "text/plain", "unknown action");
    };
  }

  private Answer token(Call call) {
    if (failStatus != 0) {
      return new Answer(failStatus, "text/html", "<html>error</html>");
    }
    if (call.param("Session") == null) {
      return new Answer(400, "text/html", "<html>missing Session</html>");
    }
    String token = "signin-" + UUID.randomUUID();
    tokens.put(token, call.params());
    return new Answer(200, "application/json", "{\"SigninToken\":\"" + token + "\"}");
  }
}
