package dev.stint.demo;

import dev.stint.standin.QueryRequest;
import dev.stint.standin.StandInReply;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A local AWS sign-in (federation) endpoint: {@code getSigninToken} answers the real JSON shape and
 * remembers the token; {@code login} accepts only a token it issued and, where the real one would
 * redirect the browser into the console, shows a plain page saying so.
 */
public final class SigninStandIn extends AwsStandIn {
  /** The page title; tests look for it. */
  public static final String CONSOLE_TITLE = "AWS console (demo stand-in)";

  private final Map<String, Map<String, String>> tokens = new ConcurrentHashMap<>();

  /** The getSigninToken parameters that produced a token, or null for an unknown token. */
  public Map<String, String> issuedFor(String signinToken) {
    return tokens.get(signinToken);
  }

  @Override
  protected StandInReply answer(QueryRequest request) {
    if (!"/federation".equals(request.path()) || !"GET".equals(request.method())) {
      return new StandInReply(404, "text/plain", "not found");
    }
    return switch (String.valueOf(request.param("Action"))) {
      case "getSigninToken" -> token(request);
      case "login" ->
          tokens.containsKey(String.valueOf(request.param("SigninToken")))
              ? html(200, consolePage(request))
              : new StandInReply(400, "text/plain", "bad token");
      default -> new StandInReply(400, "text/plain", "unknown action");
    };
  }

  private StandInReply token(QueryRequest request) {
    if (request.param("Session") == null) {
      return html(400, "<html>missing Session</html>");
    }
    String token = "signin-" + UUID.randomUUID();
    tokens.put(token, request.params());
    return new StandInReply(200, "application/json", "{\"SigninToken\":\"" + token + "\"}");
  }

  private static StandInReply html(int status, String body) {
    return new StandInReply(status, "text/html; charset=utf-8", body);
  }

  private static String consolePage(QueryRequest request) {
    return "<!doctype html><html><head><meta charset=\"utf-8\"><title>"
        + CONSOLE_TITLE
        + "</title></head><body style=\"font-family:sans-serif;margin:3em\"><h1>"
        + CONSOLE_TITLE
        + "</h1><p>Signed in with a federation token that stint obtained for this grant.</p>"
        + "<p>A real AWS account would now show the console at <code>"
        + HttpForms.escape(String.valueOf(request.param("Destination")))
        + "</code>.</p></body></html>";
  }
}
