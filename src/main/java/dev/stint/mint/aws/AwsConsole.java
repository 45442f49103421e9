package dev.stint.mint.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.mint.Lifetimes;
import dev.stint.mint.Lifetimes.Ask;
import dev.stint.mint.Lifetimes.CloudLimits;
import dev.stint.mint.MintException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AWS console sign-in links through the federation endpoint: {@code getSigninToken} with the
 * session's credentials, then a {@code login} URL. The URL carries a sign-in token that works for
 * 15 minutes; the console session it opens lasts {@code SessionDuration}, capped like the
 * credentials (15 min .. 12 h, never past the grant). No AWS SDK here: it is one HTTPS GET.
 * Request URLs carry the session's secret and are never logged.
 */
public final class AwsConsole {
  public static final String DEFAULT_CONSOLE_DOMAIN = "console.aws.amazon.com";
  /** The sign-in token in a login URL works this long (an AWS rule). */
  static final Duration LINK_VALIDITY = Duration.ofMinutes(15);
  static final CloudLimits CONSOLE_LIMITS = new CloudLimits(Duration.ofMinutes(15), Duration.ofHours(12));
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger LOG = LoggerFactory.getLogger(AwsConsole.class);

  /** What to sign in with: the session minted for the grant, and where the user wants to land. */
  public record Request(AwsSession session, String profile, Optional<String> destination,
      Instant grantEndsAt) {}

  /** The login URL; {@code sessionExpiresAt} ends the console session, {@code linkExpiresAt} the URL. */
  public record Link(URI url, Instant sessionExpiresAt, Instant linkExpiresAt) {
    @Override
    public String toString() {
      return "Link[url=***, sessionExpiresAt=" + sessionExpiresAt + ", linkExpiresAt=" + linkExpiresAt + "]";
    }
  }

  private final URI signin;
  private final URI issuer;
  private final String consoleDomain;
  private final Clock clock;
  private final Duration timeout;
  private final HttpClient http;

  /**
   * @param issuer where AWS sends the user when the console session ends (stint's public URL)
   * @param consoleDomain destinations must be https URLs on this host or its subdomains
   */
  public AwsConsole(AwsSettings settings, URI issuer, String consoleDomain, Clock clock) {
    String endpoint = settings.signinEndpoint().toString();
    this.signin = URI.create(endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint);
    this.issuer = issuer;
    this.consoleDomain = consoleDomain.toLowerCase(Locale.ROOT);
    this.clock = clock;
    this.timeout = settings.calls().apiCallTimeout();
    this.http = HttpClient.newBuilder().connectTimeout(settings.calls().attemptTimeout())
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /** Fails with a {@link MintException}: invalid_request for a bad destination, else upstream. */
  public CompletableFuture<Link> link(Request request) {
    CompletableFuture<Link> result = new CompletableFuture<>();
    URI destination;
    Duration duration;
    try {
      destination = destination(request.destination());
      Instant end = request.grantEndsAt().isBefore(request.session().expiration())
          ? request.grantEndsAt() : request.session().expiration();
      duration = Lifetimes.cap(new Ask(Optional.empty(), CONSOLE_LIMITS.max(), end),
          CONSOLE_LIMITS, clock.instant()).duration();
    } catch (MintException e) {
      result.completeExceptionally(e);
      return result;
    }
    Instant now = clock.instant();
    http.sendAsync(tokenRequest(request.session(), duration), HttpResponse.BodyHandlers.ofString())
        .whenComplete((response, error) -> {
          try {
            String token = signinToken(request.profile(), response, error);
            result.complete(new Link(loginUrl(destination, token), now.plus(duration),
                now.plus(LINK_VALIDITY)));
          } catch (MintException e) {
            result.completeExceptionally(e);
          }
        });
    return result;
  }

  URI destination(Optional<String> requested) {
    if (requested.isEmpty()) {
      return URI.create("https://" + consoleDomain + "/");
    }
    URI uri;
    try {
      uri = new URI(requested.get());
    } catch (java.net.URISyntaxException e) {
      throw badDestination();
    }
    String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getRawUserInfo() != null
        || !(host.equals(consoleDomain) || host.endsWith("." + consoleDomain))) {
      throw badDestination();
    }
    return uri;
  }

  private MintException badDestination() {
    return MintException.invalid("destination must be an https URL on " + consoleDomain);
  }

  private HttpRequest tokenRequest(AwsSession session, Duration duration) {
    String sessionJson;
    try {
      sessionJson = JSON.writeValueAsString(Map.of("sessionId", session.accessKeyId(),
          "sessionKey", session.secretAccessKey(), "sessionToken", session.sessionToken()));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    URI uri = URI.create(signin + "/federation?Action=getSigninToken&SessionDuration="
        + duration.getSeconds() + "&Session=" + encode(sessionJson));
    return HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json")
        .GET().build();
  }

  private String signinToken(String profile, HttpResponse<String> response, Throwable error) {
    if (error != null) {
      LOG.warn("AWS getSigninToken for profile {} failed without an answer: {}", profile,
          error.getClass().getSimpleName());
      throw MintException.unavailable("AWS sign-in", profile, error);
    }
    if (response.statusCode() != 200) {
      LOG.warn("AWS getSigninToken for profile {} answered HTTP {}", profile, response.statusCode());
      throw response.statusCode() >= 500 || response.statusCode() == 429
          ? MintException.unavailable("AWS sign-in", profile, null)
          : MintException.refused("AWS sign-in", profile, null);
    }
    try {
      JsonNode token = JSON.readTree(response.body()).path("SigninToken");
      if (token.isTextual() && !token.asText().isEmpty()) {
        return token.asText();
      }
    } catch (IOException e) {
      // reported below
    }
    LOG.warn("AWS getSigninToken for profile {} answered without a SigninToken", profile);
    throw MintException.unavailable("AWS sign-in", profile, null);
  }

  private URI loginUrl(URI destination, String token) {
    return URI.create(signin + "/federation?Action=login&Issuer=" + encode(issuer.toString())
        + "&Destination=" + encode(destination.toString()) + "&SigninToken=" + encode(token));
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
