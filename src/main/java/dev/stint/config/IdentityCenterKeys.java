package dev.stint.config;

import java.net.URI;
import java.util.Optional;

/**
 * The {@code aws.identity_center.*} keys: the AWS access portal people use an {@code
 * identity_center} profile's grant through. Unset, {@code stint setup aws} writes no {@code
 * sso-session} and console links for such grants cannot be made.
 */
final class IdentityCenterKeys {
  private IdentityCenterKeys() {}

  /** The access portal's start URL, https only: {@code https://d-0123456789.awsapps.com/start}. */
  static final ConfigKey START_URL =
      ConfigKey.scalar(
          "aws.identity_center.start_url", "STINT_AWS_IDENTITY_CENTER_START_URL", null);

  /** The Identity Center instance's region; unset, {@code aws.region}. */
  static final ConfigKey REGION =
      ConfigKey.scalar("aws.identity_center.region", "STINT_AWS_IDENTITY_CENTER_REGION", null);

  /** The portal when a start URL is set; its region is required then, from either key. */
  static Optional<AccessPortal> bind(KeyReader keys, Optional<String> awsRegion) {
    Optional<URI> start = keys.optional(START_URL, IdentityCenterKeys::startUrl);
    Optional<String> region = keys.optional(REGION, AwsKeys::region).or(() -> awsRegion);
    if (start.isEmpty()) {
      return Optional.empty();
    }
    if (region.isEmpty()) {
      keys.problems()
          .add(
              REGION.name()
                  + " ("
                  + REGION.env()
                  + "): required with "
                  + START_URL.name()
                  + " when aws.region is unset: the region of the IAM Identity Center instance");
      return Optional.empty();
    }
    return Optional.of(new AccessPortal(start.get(), region.get()));
  }

  /**
   * An https URL with a host and a path at most, no query, fragment or user: the portal's start
   * page, which people's tools append their own paths and fragments to.
   */
  static URI startUrl(String s) {
    URI uri;
    try {
      uri = ConfigValues.httpsUrl(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "expected the AWS access portal's https start URL, such as"
              + " https://d-0123456789.awsapps.com/start ("
              + e.getMessage()
              + ")");
    }
    if (uri.getPort() != -1 && uri.getPort() != 443) {
      throw new IllegalArgumentException(
          "expected the AWS access portal's start URL on the https port, such as"
              + " https://d-0123456789.awsapps.com/start");
    }
    return uri;
  }
}
