package dev.stint.access;

import java.util.List;
import java.util.Optional;

/**
 * A page of requests and, when more remain, where the next page starts. The cursor follows the last
 * row read, not the last one shown: rows the caller may not see are still passed over.
 */
public record RequestPage(List<AccessRequest> requests, Optional<RequestCursor> next) {
  public RequestPage {
    requests = List.copyOf(requests);
  }
}
