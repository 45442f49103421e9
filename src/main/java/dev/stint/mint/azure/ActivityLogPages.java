package dev.stint.mint.azure;

import dev.stint.mint.ActivityLookup;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The Activity Log's pages: the first page's URL for a lookup's window, the {@code nextLink} to
 * each next one, carried between lookups as the page token, and how long a 429 asks to wait.
 */
final class ActivityLogPages {
  static final String API_VERSION = "2015-04-01";

  /**
   * What stint reads of an event; {@code $select} keeps the pages small, since every event of the
   * subscription in the window is read to find a few.
   */
  static final String SELECT =
      "eventDataId,operationId,eventTimestamp,operationName,resourceProviderName,resourceId,status,"
          + "subStatus,httpRequest,claims,subscriptionId";

  /**
   * Pages read for one lookup of one subscription: a bound on what one credential may cost. A
   * window holding more is cut short, newest first, and the lookup ends with what it found: failing
   * instead would fail every later lookup of a window that only grows, so the grant would never be
   * summed up. An Azure token's calls are never taken as all seen (docs/activity.md), so a cut
   * window makes no grant read as unused.
   */
  static final int MAX_PAGES = 100;

  /** Without a Retry-After, a throttled call waits this long. */
  static final Duration DEFAULT_WAIT = Duration.ofSeconds(5);

  private ActivityLogPages() {}

  /** A page to read: its URL, and how many pages of this lookup came before it. */
  record Cursor(URI url, int page) {
    /**
     * The token of the page after this one, at Azure's {@code nextLink}; fails past {@link
     * #MAX_PAGES}.
     */
    Optional<String> next(URI management, String nextLink) {
      URI link = sameOrigin(management, nextLink);
      if (page + 1 >= MAX_PAGES) {
        return Optional.empty();
      }
      return Optional.of((page + 1) + " " + link);
    }

    /** A token {@link #next} made; a link to another origin is refused (the token goes there). */
    static Cursor decode(String token, URI management) {
      int space = token.indexOf(' ');
      if (space < 0) {
        throw new IllegalStateException("not an Activity Log page token");
      }
      int page;
      try {
        page = Integer.parseInt(token.substring(0, space));
      } catch (NumberFormatException e) {
        throw new IllegalStateException("not an Activity Log page token");
      }
      return new Cursor(sameOrigin(management, token.substring(space + 1)), page);
    }
  }

  /** The first page of the subscription's events in the query's window. */
  static Cursor first(URI management, ActivityLookup.Query query) {
    String filter =
        "eventTimestamp ge '" + query.from() + "' and eventTimestamp le '" + query.to() + "'";
    return new Cursor(
        URI.create(
            management
                + "/subscriptions/"
                + query.place()
                + "/providers/Microsoft.Insights/eventtypes/management/values?api-version="
                + API_VERSION
                + "&$filter="
                + encode(filter)
                + "&$select="
                + encode(SELECT)),
        0);
  }

  /**
   * The wait a 429 asks for: {@code Retry-After} in seconds or as an HTTP date; {@link
   * #DEFAULT_WAIT} when absent or unreadable.
   */
  static Duration retryAfter(Optional<String> header, Instant now) {
    if (header.isEmpty()) {
      return DEFAULT_WAIT;
    }
    String value = header.get().strip();
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(value)));
    } catch (NumberFormatException e) {
      try {
        Duration until =
            Duration.between(
                now, ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        return until.isNegative() ? Duration.ZERO : until;
      } catch (DateTimeParseException notADate) {
        return DEFAULT_WAIT;
      }
    }
  }

  /**
   * {@code link} when it is on the management endpoint's scheme, host and port: the reader's token
   * is sent with it, so a link elsewhere is refused.
   */
  private static URI sameOrigin(URI management, String link) {
    URI uri;
    try {
      uri = URI.create(link);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("the Activity Log's nextLink is not a URL");
    }
    if (!management.getScheme().equalsIgnoreCase(String.valueOf(uri.getScheme()))
        || !management.getHost().equalsIgnoreCase(String.valueOf(uri.getHost()))
        || port(management) != port(uri)
        || uri.getRawUserInfo() != null) {
      throw new IllegalStateException(
          "the Activity Log's nextLink leads away from " + management + "; not followed");
    }
    return uri;
  }

  private static int port(URI uri) {
    if (uri.getPort() >= 0) {
      return uri.getPort();
    }
    return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
