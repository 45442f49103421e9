package dev.stint.config;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * IAM Identity Center's AWS access portal, where people use an {@code identity_center} profile's
 * grant: its start URL ({@code https://d-0123456789.awsapps.com/start}, or the deployment's own
 * alias or domain) and the region of the Identity Center instance, which {@code aws sso login}
 * signs in through. stint hands these to people's tools; it never calls the portal itself.
 */
public record AccessPortal(URI startUrl, String region) {
  public AccessPortal {
    Objects.requireNonNull(startUrl, "startUrl");
    Objects.requireNonNull(region, "region");
  }

  /**
   * The portal's deep link that signs its visitor in to {@code accountId} as the permission set
   * {@code roleName}: the portal asks them to sign in first when they have not, and refuses when
   * their user holds no such assignment, so the link grants nothing by itself.
   */
  public URI consoleLink(String accountId, String roleName) {
    return URI.create(
        startUrl
            + "/#/console?account_id="
            + URLEncoder.encode(accountId, StandardCharsets.UTF_8)
            + "&role_name="
            + URLEncoder.encode(roleName, StandardCharsets.UTF_8));
  }
}
