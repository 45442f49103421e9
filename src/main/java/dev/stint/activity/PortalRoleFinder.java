package dev.stint.activity;

import io.vertx.core.Future;

/**
 * The permission set's provisioned role in the account of grant {@code grantId}'s assignment
 * ({@code AWSReservedSSO_<name>_<suffix>}), whose sessions the AWS access portal hands out: an
 * Identity Center grant's calls are those of its user's sessions on that role alone. Found where
 * the grant's assignment was made (the region and endpoints recorded when it started, never today's
 * configuration). Fails when the role cannot be found now; the caller asks again later.
 */
@FunctionalInterface
public interface PortalRoleFinder {
  Future<String> roleArn(String grantId);

  /** Where no Identity Center is reached: no grant has portal access to look up then. */
  PortalRoleFinder NONE =
      grantId ->
          Future.failedFuture(
              "no IAM Identity Center is configured to find grant " + grantId + "'s role");
}
