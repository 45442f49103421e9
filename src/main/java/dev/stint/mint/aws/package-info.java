/**
 * AWS: minting sessions with STS ({@code AwsMinter}, on stint's own Vert.x HTTP client), console
 * sign-in links, CloudTrail lookups ({@code AwsActivity}), and revoking a grant's or a lease's
 * sessions by a deny on each role ({@code AwsSessionRevoker}, {@code AwsRevocations}).
 *
 * <p>A role's denies are laid out across its inline policy and stint's managed policies ({@code
 * DenyLayout}, {@code DenyItem}, rendered by {@code RevocationPolicy}), read back once written, and
 * widened to a cutoff when they do not fit. The only package that imports the AWS SDK.
 */
package dev.stint.mint.aws;
