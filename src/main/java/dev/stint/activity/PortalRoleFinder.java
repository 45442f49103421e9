package dev.stint.activity;

import dev.stint.cloud.AccountAssignment;
import io.vertx.core.Future;

/**
 * The permission set's provisioned role in an assignment's account ({@code
 * AWSReservedSSO_<name>_<suffix>}), whose sessions the AWS access portal hands out: an Identity
 * Center grant's calls are those of its user's sessions on that role alone. Found for grant {@code
 * grantId}, where its assignment ({@code at}) was made (the region and endpoints recorded when it
 * started, never today's configuration). Fails when the role cannot be found now; the caller asks
 * again later.
 */
@FunctionalInterface
public interface PortalRoleFinder {
  Future<String> roleArn(String grantId, AccountAssignment at);

  /** Where no Identity Center is reached: no grant has portal access to look up then. */
  PortalRoleFinder NONE =
      (grantId, at) ->
          Future.failedFuture("no IAM Identity Center is configured to find " + at.describe());
}
