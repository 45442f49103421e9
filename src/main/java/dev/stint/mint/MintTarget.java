package dev.stint.mint;

/**
 * What to mint for, in a cloud's own terms (a role, a service account, an app registration). The
 * issuance pipeline translates a policy profile's target into one, so that minting never reads the
 * policy.
 */
public interface MintTarget {
  /** {@code aws}, {@code gcp} or {@code azure}: which {@link CloudMinter} mints it. */
  String cloud();
}
