package dev.stint.cli.completion;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.cli.ApiClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * The kinds of word {@code stint __complete} asks the server for, each with the one query whose
 * answer is the truth about it: profile names from {@code GET /v1/profiles} (only those the caller
 * may request), request ids from {@code GET /v1/requests} filtered as the command that takes them
 * needs, access review ids from {@code GET /v1/access-reviews}. The server decides who sees what;
 * nothing here widens it.
 */
enum CompletionKind {
  /** Every profile the caller may request. */
  PROFILES(Optional.empty()),
  /** The AWS ones: only they have a console sign-in. */
  AWS_PROFILES(Optional.of("aws")),
  /**
   * Pending requests that are not the caller's own: a requester never approves or denies. The
   * server lists a person the requests they may decide; an admin or an auditor it lists all, and
   * the API says no more per request.
   */
  TO_DECIDE("state=pending", true),
  /** The caller's own pending requests: only a requester cancels. */
  YOUR_PENDING("state=pending&mine=true", false),
  /** Grants not yet over, that the server shows the caller. */
  GRANTS("state=scheduled,active", false),
  /** Break-glass grants awaiting review that are not the caller's own. */
  TO_REVIEW("needs_review=true", true),
  /** The caller's own active grants: only the holder asks to extend one. */
  YOUR_ACTIVE("state=active&mine=true", false),
  /** The newest requests the caller may see, in any state. */
  ANY_REQUEST("", false),
  /** Open access reviews the caller may see: only they take decisions. */
  OPEN_REVIEWS(Map.of("state", "open")),
  /** The access reviews the caller may see, open or closed. */
  ANY_REVIEW(Map.of());

  /**
   * What a candidate may look like: printed into a shell's completion list, so nothing a shell
   * could expand or split (profile names and request ids are far narrower than this).
   */
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@+-]{0,199}");

  private final boolean profiles;
  private final boolean reviews;
  private final Optional<String> cloud;
  private final Map<String, String> query;
  private final boolean notMine;

  CompletionKind(Optional<String> cloud) {
    this.profiles = true;
    this.reviews = false;
    this.cloud = cloud;
    this.query = Map.of();
    this.notMine = false;
  }

  /**
   * Requests filtered by {@code filters} ({@code key=value&…}); with {@code notMine}, less the
   * caller's own.
   */
  CompletionKind(String filters, boolean notMine) {
    this.profiles = false;
    this.reviews = false;
    this.cloud = Optional.empty();
    this.notMine = notMine;
    Map<String, String> parsed = new LinkedHashMap<>();
    for (String filter : filters.split("&")) {
      if (!filter.isEmpty()) {
        int eq = filter.indexOf('=');
        parsed.put(filter.substring(0, eq), filter.substring(eq + 1));
      }
    }
    // In the order written: the query string is then the same at every run.
    this.query = Collections.unmodifiableMap(parsed);
  }

  /** Access reviews filtered by {@code query}. */
  CompletionKind(Map<String, String> query) {
    this.profiles = false;
    this.reviews = true;
    this.cloud = Optional.empty();
    this.query = query;
    this.notMine = false;
  }

  /** The candidates, as the server lists them; a failure is thrown for the caller to swallow. */
  List<String> fetch(ApiClient api) {
    if (profiles) {
      List<String> names = new ArrayList<>();
      for (JsonNode p : api.get("/v1/profiles", Map.of()).body().path("profiles")) {
        if (cloud.isEmpty() || cloud.get().equals(p.path("cloud").asText())) {
          names.add(p.path("name").asText());
        }
      }
      return safe(names);
    }
    if (reviews) {
      List<String> ids = new ArrayList<>();
      api.get("/v1/access-reviews", query)
          .body()
          .path("reviews")
          .forEach(r -> ids.add(r.path("id").asText()));
      return safe(ids);
    }
    if (!notMine) {
      return safe(ids(api, query));
    }
    // The caller's own, asked for alongside, are taken out: the server lists a request to its
    // requester and its approvers alike.
    Map<String, String> theirs = new LinkedHashMap<>(query);
    theirs.put("mine", "true");
    CompletableFuture<List<String>> own = CompletableFuture.supplyAsync(() -> ids(api, theirs));
    List<String> all = ids(api, query);
    all.removeAll(own.join());
    return safe(all);
  }

  private static List<String> ids(ApiClient api, Map<String, String> query) {
    List<String> ids = new ArrayList<>();
    api.get("/v1/requests", query)
        .body()
        .path("requests")
        .forEach(r -> ids.add(r.path("id").asText()));
    return ids;
  }

  /** The candidates no shell could read as anything but one plain word. */
  static List<String> safe(List<String> candidates) {
    return candidates.stream().filter(c -> SAFE.matcher(c).matches()).distinct().toList();
  }
}
