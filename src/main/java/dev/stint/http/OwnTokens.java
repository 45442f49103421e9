package dev.stint.http;

import dev.stint.access.Caller;
import dev.stint.identity.Principal;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

/**
 * A kind of bearer token stint issues itself, beside the OIDC tokens of the policy's issuers (a
 * task lease's today, {@link LeaseTokenKind}): {@link Authentication} tells it by its shape, so a
 * bearer of no kind's shape is verified as OIDC and never looked up; takes it only where the kind
 * says, refusing it anywhere else ({@code identity.refused}, {@code 401}); and resolves it through
 * the port of the package that keeps it into the caller it stands for, which every route then reads
 * as it reads a person ({@link Authentication#principal}).
 */
public interface OwnTokens {
  /** Whether {@code bearer} has this kind's shape: only then is it this kind's to resolve. */
  boolean shaped(String bearer);

  /** Whether this call is one the kind is taken on. */
  boolean takenOn(RoutingContext ctx);

  /** Why it is refused anywhere else, as the caller is answered. */
  String elsewhere();

  /** Whom a refusal names before the token is resolved. */
  Principal unverified();

  /**
   * The caller the token stands for; fails {@code unauthenticated} for one stint does not keep, the
   * refusal recorded with {@code bearer}'s address.
   */
  Future<Principal> resolve(String bearer, Caller unverified);
}
