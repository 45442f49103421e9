package dev.stint.demo;

import dev.stint.cloud.AccountAssignment;
import dev.stint.mint.aws.PortalPolicy;
import dev.stint.standin.IdentityStoreStandIn;
import dev.stint.standin.PortalStandIn;
import dev.stint.standin.SsoAdminStandIn;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The demo's IAM Identity Center: SSO Admin and Identity Store stand-ins for the instance and the
 * identity store the demo policy's identity_center profiles name, with their permission sets as
 * named there; a user in the store for each demo person, by the email the development IdP says it
 * verified; in each account, stint's portal revocation policy, as the Terraform module creates it,
 * which every permission set references; each permission set's role provisioned in the IAM stand-in
 * at its first assignment to an account, allowed what the demo roles are (reading the demo
 * buckets), with that policy attached (where a revoke's deny goes); and the access portal handing a
 * user sessions of that role while they are assigned it.
 */
public final class DemoIdentityCenter implements AutoCloseable {
  private final AccountAssignment first;
  private final SsoAdminStandIn sso;
  private final IdentityStoreStandIn store;
  private final PortalStandIn portal;
  private final Map<String, String> permissionSets = new ConcurrentHashMap<>();
  private final Set<String> provisioned = ConcurrentHashMap.newKeySet();

  private DemoIdentityCenter(List<AccountAssignment> assignments, IamStandIn iam, StsStandIn sts) {
    this.first = assignments.get(0);
    for (AccountAssignment a : assignments) {
      if (!a.instanceArn().equals(first.instanceArn())
          || !a.identityStoreId().equals(first.identityStoreId())
          || a.permissionSetName().isEmpty()) {
        throw new IllegalArgumentException(
            "the demo's identity_center profiles must name one instance and identity store, and"
                + " each its permission_set_name");
      }
    }
    Map<String, String> names = new HashMap<>();
    Map<String, List<String>> references = new HashMap<>();
    for (AccountAssignment a : assignments) {
      names.put(a.permissionSetArn(), a.permissionSetName().orElseThrow());
      permissionSets.put(a.permissionSetName().orElseThrow(), a.permissionSetArn());
      references.put(a.permissionSetArn(), List.of(PortalPolicy.REFERENCE));
      // As the Terraform module's member account side creates it, before anything is assigned.
      if (!iam.hasPolicy(a.accountId(), PortalPolicy.PATH, PortalPolicy.NAME)) {
        iam.createPolicy(a.accountId(), PortalPolicy.PATH, PortalPolicy.NAME, PortalPolicy.INITIAL);
      }
    }
    String instance = first.instanceArn();
    this.sso =
        new SsoAdminStandIn(
            Clock.systemUTC(), instance.substring(instance.indexOf('/') + 1), names, references);
    this.store = new IdentityStoreStandIn(first.identityStoreId());
    DevUser.ALL.forEach(u -> store.addUser(u.email()));
    sso.principals(store::has)
        .onProvisioned(
            (account, role, policyArns) -> {
              iam.provisioned(account, role, policyArns);
              iam.putRolePolicy(role, DemoBucket.POLICY_NAME, DemoBucket.POLICY);
              provisioned.add(roleArn(account, role));
            });
    this.portal =
        new PortalStandIn(
            store,
            this::assignedRole,
            (role, sessionName, lasts) -> sts.portalSession(role, sessionName, lasts));
  }

  /**
   * The stand-ins for the assignments of the demo policy's identity_center profiles (its roles in
   * the demo account, the IAM stand-in's home); none when it has no such profile.
   */
  static Optional<DemoIdentityCenter> start(
      List<AccountAssignment> assignments, IamStandIn iam, StsStandIn sts) {
    return assignments.isEmpty()
        ? Optional.empty()
        : Optional.of(new DemoIdentityCenter(assignments, iam, sts));
  }

  /** stint's configuration for them: the two APIs' endpoints, and the access portal's start URL. */
  void configure(Map<String, String> env) {
    env.put("STINT_AWS_SSO_ADMIN_ENDPOINT", sso.uri().toString());
    env.put("STINT_AWS_IDENTITYSTORE_ENDPOINT", store.uri().toString());
    env.put("STINT_AWS_IDENTITY_CENTER_START_URL", startUrl());
  }

  /**
   * The access portal's start URL as AWS names it for the identity store: written by {@code stint
   * setup aws}; the demo's portal is the stand-in at {@link #portal()}, not this address.
   */
  public String startUrl() {
    return "https://" + first.identityStoreId() + ".awsapps.com/start";
  }

  /** The first identity_center profile's account and permission set (the walkthrough's). */
  public AccountAssignment assignment() {
    return first;
  }

  public SsoAdminStandIn ssoAdmin() {
    return sso;
  }

  public IdentityStoreStandIn identityStore() {
    return store;
  }

  public PortalStandIn portal() {
    return portal;
  }

  private Optional<String> assignedRole(String account, String permissionSetName, String userId) {
    String arn = permissionSets.get(permissionSetName);
    if (arn == null
        || !sso.assignments().contains(new SsoAdminStandIn.Assignment(account, arn, userId))) {
      return Optional.empty();
    }
    String prefix = roleArn(account, "AWSReservedSSO_" + permissionSetName + "_");
    return provisioned.stream().filter(r -> r.startsWith(prefix)).findFirst();
  }

  private static String roleArn(String account, String role) {
    return "arn:aws:iam::" + account + ":role" + SsoAdminStandIn.ROLE_PATH + role;
  }

  @Override
  public void close() {
    portal.close();
    sso.close();
    store.close();
  }
}
