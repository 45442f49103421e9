package dev.stint.access;

import io.vertx.core.Future;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The port of requests made together, for the routes, pages and notifiers: filing a bundle (one
 * request per profile, one reason, one approval round) and reading which requests were made
 * together. The rows stay this package's ({@code request_bundles}).
 */
public interface Bundles {
  /** A bundle: its id, the policy's name for it if one was asked for, its requests in order. */
  record Ref(String id, Optional<String> name, List<String> requestIds, List<String> profiles) {
    /** The request that stands for the bundle where it is shown once (chat). */
    public String first() {
      return requestIds.get(0);
    }
  }

  /** A bundle as made: its id, its policy name if any, its requests in order. */
  record Made(String id, Optional<String> name, List<AccessRequest> requests) {}

  /**
   * Files a bundle for {@code caller}: the profiles are {@code listed}, or those of the policy's
   * bundle {@code name}; {@code asked.profile()} is unused. Refused, and audited, when none stint
   * has seen could approve it.
   */
  Future<Made> create(Caller caller, List<String> listed, Optional<String> name, NewRequest asked);

  /** The bundle with id {@code requestId}, or the one that request was made in, if any. */
  Future<Optional<Ref>> of(String requestId);

  /** The bundles of those of {@code requestIds} made in one, by request id. */
  Future<Map<String, Ref>> ofRequests(Collection<String> requestIds);
}
