package dev.stint.policy;

import java.util.List;

/** How {@code stint login} reaches the people's IdP: an issuer name, a public client, scopes. */
public record LoginConfig(String issuerName, String clientId, List<String> scopes) {
  public static final List<String> DEFAULT_SCOPES = List.of("openid", "profile", "email");

  public LoginConfig {
    scopes = List.copyOf(scopes);
  }
}
