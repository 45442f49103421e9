package dev.stint.cli.login;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.cli.CliException;
import dev.stint.common.SecureUrls;
import java.net.URI;
import java.util.Optional;

/**
 * The identity provider's endpoints, from its OIDC discovery document. Every endpoint must be https
 * (plain http only on the loopback interface, for local development and tests): tokens and codes
 * travel over them.
 */
record Provider(
    URI issuer,
    URI authorizationEndpoint,
    URI tokenEndpoint,
    Optional<URI> deviceAuthorizationEndpoint,
    Optional<URI> revocationEndpoint) {

  /** Fetches {@code ISSUER/.well-known/openid-configuration} and checks it names the issuer. */
  static Provider discover(IdpClient idp, URI issuer) {
    requireSecure(issuer, "issuer");
    String base = issuer.toString().endsWith("/") ? issuer.toString() : issuer + "/";
    JsonNode doc = idp.getJson(URI.create(base + ".well-known/openid-configuration"));
    String advertised = doc.path("issuer").asText("");
    if (!stripSlash(advertised).equals(stripSlash(issuer.toString()))) {
      throw new CliException(
          CliException.FAILED,
          "identity provider at "
              + issuer
              + " names a different issuer in its discovery document ('"
              + advertised
              + "')");
    }
    return new Provider(
        URI.create(advertised),
        endpoint(doc, "authorization_endpoint")
            .orElseThrow(() -> missing(issuer, "authorization_endpoint")),
        endpoint(doc, "token_endpoint").orElseThrow(() -> missing(issuer, "token_endpoint")),
        endpoint(doc, "device_authorization_endpoint"),
        endpoint(doc, "revocation_endpoint"));
  }

  /** https, or http to a loopback address only; anything else is refused before any request. */
  static URI requireSecure(URI uri, String what) {
    if (uri.getHost() == null || !uri.isAbsolute()) {
      throw new CliException(CliException.USAGE, what + " '" + uri + "' is not an absolute URL");
    }
    if (SecureUrls.httpsOrLoopback(uri)) {
      return uri;
    }
    throw new CliException(
        CliException.USAGE,
        what
            + " '"
            + uri
            + "' must use https (plain http is allowed only on 127.0.0.1, ::1 or localhost)");
  }

  private static Optional<URI> endpoint(JsonNode doc, String name) {
    String value = doc.path(name).asText("");
    if (value.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(requireSecure(URI.create(value), "identity provider " + name));
    } catch (IllegalArgumentException e) {
      throw new CliException(CliException.FAILED, "identity provider " + name + " is not a URL");
    }
  }

  private static CliException missing(URI issuer, String name) {
    return new CliException(
        CliException.FAILED, "identity provider at " + issuer + " advertises no " + name);
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}
