package dev.stint.mint.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.mint.ConsoleSignIn.Link;
import dev.stint.mint.Lifetimes;
import dev.stint.mint.Lifetimes.Allowed;
import dev.stint.mint.Lifetimes.CloudLimits;
import dev.stint.mint.MintException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
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
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AWS console sign-in links through the federation endpoint: {@code getSigninToken} with the
 * session's credentials, then a {@code login} URL. The URL carries a sign-in token that works for
 * 15 minutes; the console session it opens lasts {@code SessionDuration}, capped like the
 * credentials (15 min .. 12 h, never past the grant). No AWS SDK here: it is one HTTPS GET. Request
 * URLs carry the session's secret and are never logged.
 */
public final class AwsConsole {
  /** The sign-in token in a login URL works this long (an AWS rule). */
  static final Duration LINK_VALIDITY = Duration.ofMinutes(15);

  static final CloudLimits CONSOLE_LIMITS =
      new CloudLimits(Duration.ofMinutes(15), Duration.ofHours(12));
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger LOG = LoggerFactory.getLogger(AwsConsole.class);

  /** What to sign in with: the session minted for the grant, and where the user wants to land. */
  public record Request(AwsSession session, String profile, Landing landing, Instant grantEndsAt) {}

  /**
   * Where the console opens: the role's partition, and optionally a page (an https URL on that
   * partition's console, or a path on it) and a region.
   */
  public record Landing(
      AwsPartition partition, Optional<String> destination, Optional<String> region) {
    public static Landing home(AwsPartition partition) {
      return new Landing(partition, Optional.empty(), Optional.empty());
    }
  }

  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]{1,2}");

  /** The configured sign-in endpoint, or empty for each partition's own. */
  private final Optional<URI> signinOverride;

  private final URI issuer;
  private final Clock clock;
  private final Duration timeout;
  private final HttpClient http;

  /**
   * @param settings a sign-in endpoint other than AWS's default (a stand-in, a proxy) is used for
   *     every partition; otherwise each partition's own sign-in host is
   * @param issuer where AWS sends the user when the console session ends (stint's public URL)
   */
  public AwsConsole(AwsSettings settings, URI issuer, Clock clock) {
    String endpoint = settings.signinEndpoint().toString();
    URI configured =
        URI.create(
            endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint);
    this.signinOverride =
        configured.equals(AwsSettings.DEFAULT_SIGNIN) ? Optional.empty() : Optional.of(configured);
    this.issuer = issuer;
    this.clock = clock;
    this.timeout = settings.calls().apiCallTimeout();
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(settings.calls().attemptTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** Fails with a {@link MintException}: invalid_request for a bad destination, else upstream. */
  public CompletableFuture<Link> link(Request request) {
    CompletableFuture<Link> result = new CompletableFuture<>();
    URI destination;
    Duration duration;
    try {
      destination = destination(request.landing());
      Instant end =
          request.grantEndsAt().isBefore(request.session().expiration())
              ? request.grantEndsAt()
              : request.session().expiration();
      duration =
          Lifetimes.cap(
                  new Allowed(Optional.empty(), CONSOLE_LIMITS.max(), end),
                  CONSOLE_LIMITS,
                  clock.instant())
              .duration();
    } catch (MintException e) {
      result.completeExceptionally(e);
      return result;
    }
    Instant now = clock.instant();
    URI signin = signin(request.landing().partition());
    http.sendAsync(
            tokenRequest(signin, request.session(), duration), HttpResponse.BodyHandlers.ofString())
        .whenComplete(
            (response, error) -> {
              try {
                String token = signinToken(request.profile(), response, error);
                result.complete(
                    new Link(
                        loginUrl(signin, destination, token),
                        now.plus(duration),
                        now.plus(LINK_VALIDITY)));
              } catch (MintException e) {
                result.completeExceptionally(e);
              }
            });
    return result;
  }

  /** The federation endpoint for a partition's sessions. */
  URI signin(AwsPartition partition) {
    return signinOverride.orElseGet(() -> URI.create("https://" + partition.signinHost()));
  }

  /**
   * The console page to open: the partition's console home, or the requested https URL on that
   * console (or a path on it), with {@code region} added unless the page names one. Anything else
   * is refused with a {@link MintException}: the login URL would carry a live session to it.
   */
  public URI destination(Landing landing) {
    String console = landing.partition().consoleHost();
    Optional<String> region = landing.region();
    if (region.isPresent()
        && (!REGION.matcher(region.get()).matches() || !landing.partition().holds(region.get()))) {
      throw MintException.invalid(
          "region must be an AWS region of the " + landing.partition().id() + " partition");
    }
    String requested = landing.destination().orElse(region.isPresent() ? "/console/home" : "/");
    if (requested.startsWith("/") && !requested.startsWith("//")) {
      requested = "https://" + console + requested;
    }
    URI uri;
    try {
      uri = new URI(requested);
    } catch (URISyntaxException e) {
      throw badDestination(console);
    }
    String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    if (!"https".equalsIgnoreCase(uri.getScheme())
        || uri.getRawUserInfo() != null
        || uri.getPort() != -1
        || !(host.equals(console) || host.endsWith("." + console))) {
      throw badDestination(console);
    }
    String query = uri.getRawQuery();
    if (region.isEmpty() || query != null && ("&" + query).contains("&region=")) {
      return uri;
    }
    String fragment = uri.getRawFragment() == null ? "" : "#" + uri.getRawFragment();
    return URI.create(
        "https://"
            + uri.getRawAuthority()
            + uri.getRawPath()
            + (query == null ? "?" : "?" + query + "&")
            + "region="
            + region.get()
            + fragment);
  }

  private static MintException badDestination(String console) {
    return MintException.invalid("destination must be a path or an https URL on " + console);
  }

  private HttpRequest tokenRequest(URI signin, AwsSession session, Duration duration) {
    String sessionJson;
    try {
      sessionJson =
          JSON.writeValueAsString(
              Map.of(
                  "sessionId",
                  session.accessKeyId(),
                  "sessionKey",
                  session.secretAccessKey(),
                  "sessionToken",
                  session.sessionToken()));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    URI uri =
        URI.create(
            signin
                + "/federation?Action=getSigninToken&SessionDuration="
                + duration.getSeconds()
                + "&Session="
                + encode(sessionJson));
    return HttpRequest.newBuilder(uri)
        .timeout(timeout)
        .header("Accept", "application/json")
        .GET()
        .build();
  }

  private String signinToken(String profile, HttpResponse<String> response, Throwable error) {
    if (error != null) {
      LOG.warn(
          "AWS getSigninToken for profile {} failed without an answer: {}",
          profile,
          error.getClass().getSimpleName());
      throw MintException.unavailable("AWS sign-in", profile, error);
    }
    if (response.statusCode() != 200) {
      LOG.warn(
          "AWS getSigninToken for profile {} answered HTTP {}", profile, response.statusCode());
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

  private URI loginUrl(URI signin, URI destination, String token) {
    return URI.create(
        signin
            + "/federation?Action=login&Issuer="
            + encode(issuer.toString())
            + "&Destination="
            + encode(destination.toString())
            + "&SigninToken="
            + encode(token));
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
