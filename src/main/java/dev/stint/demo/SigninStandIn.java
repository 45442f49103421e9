package dev.stint.demo;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A local AWS sign-in (federation) endpoint: {@code getSigninToken} answers the real JSON shape and
 * remembers the token; {@code login} accepts only a token it issued and, where the real one would
 * redirect the browser into the console, shows a plain page saying so.
 */
public class SigninStandIn extends AwsStandIn {
  /** The page title; tests look for it. */
  public static final String CONSOLE_TITLE = "AWS console (demo stand-in)";

  private final Map<String, Map<String, String>> tokens = new ConcurrentHashMap<>();

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
              ? Answer.html(200, consolePage(call))
              : new Answer(400, "text/plain", "bad token");
      default -> new Answer(400, "text/plain", "unknown action");
    };
  }

  /** getSigninToken; tests override this to fail. */
  protected Answer token(Call call) {
    if (call.param("Session") == null) {
      return Answer.html(400, "<html>missing Session</html>");
    }
    String token = "signin-" + UUID.randomUUID();
    tokens.put(token, call.params());
    return new Answer(200, "application/json", "{\"SigninToken\":\"" + token + "\"}");
  }

  private static String consolePage(Call call) {
    return "<!doctype html><html><head><meta charset=\"utf-8\"><title>"
        + CONSOLE_TITLE
        + "</title></head><body style=\"font-family:sans-serif;margin:3em\"><h1>"
        + CONSOLE_TITLE
        + "</h1><p>Signed in with a federation token that stint obtained for this grant.</p>"
        + "<p>A real AWS account would now show the console at <code>"
        + xml(String.valueOf(call.param("Destination")))
        + "</code>.</p></body></html>";
  }
}
