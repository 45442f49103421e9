package dev.stint.standin;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * One {@code LookupEvents} query, as {@link CloudTrailRules#lookup} read it, and the page it
 * answers: the events of the caller's account and region that match its attribute and time range,
 * newest first, at most {@code maxResults} of them, and a {@code NextToken} while more remain.
 *
 * <p>A token names the query it belongs to and the last event it returned, so a page does not shift
 * when events are delivered between calls, and a token offered with different parameters (another
 * attribute, time range, account or region) is {@code InvalidNextTokenException}, as the API
 * reference says it is.
 */
public record CloudTrailLookup(
    Attribute attribute,
    Instant start,
    Instant end,
    String category,
    int maxResults,
    String nextToken) {

  /** The one lookup attribute a query may carry. */
  public record Attribute(String key, String value) {}

  /** A page of events, the token to the next one (null on the last), or why there is none. */
  public record Page(List<CloudTrailEvent> events, String nextToken, Refusal refusal) {}

  /** Newest first; of events in the same second, a fixed order, so pages never overlap. */
  static final Comparator<CloudTrailEvent> NEWEST_FIRST =
      Comparator.comparing(CloudTrailEvent::eventTime)
          .thenComparing(CloudTrailEvent::eventId)
          .reversed();

  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  /**
   * The page of {@code delivered} (the events of {@code account} in {@code region} that lookups can
   * see by now) this query asks for.
   */
  public Page page(List<CloudTrailEvent> delivered, String account, String region) {
    String query = fingerprint(account, region);
    Position after = null;
    if (nextToken != null) {
      after = Position.of(nextToken, query);
      if (after == null) {
        return new Page(
            List.of(),
            null,
            Refusal.sender(400, "InvalidNextTokenException", "Invalid NextToken: " + nextToken));
      }
    }
    Position last = after;
    List<CloudTrailEvent> matching =
        delivered.stream()
            .filter(this::matches)
            .filter(e -> last == null || last.before(e))
            .sorted(NEWEST_FIRST)
            .toList();
    if (matching.size() <= maxResults) {
      return new Page(matching, null, null);
    }
    List<CloudTrailEvent> page = matching.subList(0, maxResults);
    return new Page(page, Position.token(query, page.get(page.size() - 1)), null);
  }

  private boolean matches(CloudTrailEvent event) {
    // Only management events are recorded here; they are not of the Insights category.
    return category == null
        && (attribute == null || event.has(attribute.key(), attribute.value()))
        && (start == null || !event.eventTime().isBefore(start))
        && (end == null || !event.eventTime().isAfter(end));
  }

  /** Where a page ended: its last event's second and id, in the query {@code query}. */
  private record Position(long second, String eventId) {
    static String token(String query, CloudTrailEvent last) {
      String plain = query + "|" + last.eventTime().getEpochSecond() + "|" + last.eventId();
      return ENCODER.encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** The position a token of the query {@code query} names, or null when it is not one. */
    static Position of(String token, String query) {
      try {
        String[] parts =
            new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split("\\|");
        return parts.length == 3 && parts[0].equals(query)
            ? new Position(Long.parseLong(parts[1]), parts[2])
            : null;
      } catch (IllegalArgumentException e) {
        return null;
      }
    }

    /** Whether {@code event} comes after this position, newest first. */
    boolean before(CloudTrailEvent event) {
      long at = event.eventTime().getEpochSecond();
      return at < second || (at == second && event.eventId().compareTo(eventId) < 0);
    }
  }

  /** What a token must be offered with again: everything but the page size. */
  private String fingerprint(String account, String region) {
    String parameters =
        String.join(
            "\n",
            account,
            region,
            attribute == null ? "" : attribute.key() + "=" + attribute.value(),
            String.valueOf(start),
            String.valueOf(end),
            String.valueOf(category));
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(parameters.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
