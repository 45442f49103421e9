package dev.stint.policy;

import java.util.List;

/**
 * How the web pages ({@code /ui}) sign people in: the policy's issuer to use, the client the server
 * is registered as with that IdP, and the scopes asked for. The ID token it returns must name
 * {@code clientId} as its audience.
 */
public record WebConfig(String issuerName, String clientId, List<String> scopes) {
  public static final List<String> DEFAULT_SCOPES = List.of("openid", "profile", "email");

  public WebConfig {
    scopes = List.copyOf(scopes);
  }
}
