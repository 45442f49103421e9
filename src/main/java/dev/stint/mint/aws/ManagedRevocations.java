package dev.stint.mint.aws;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException;
import software.amazon.awssdk.services.iam.model.LimitExceededException;
import software.amazon.awssdk.services.iam.model.ListAttachedRolePoliciesResponse;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.PolicyVersion;

/**
 * stint's customer managed policies on one role, where its denies go once the inline policy is
 * full: {@code stint-revocations-<ROLE>-<N>} under the path {@code /stint/} of the role's account,
 * N from 1 to the configured number, each attached to the role. stint creates, versions, attaches,
 * detaches and deletes only these (its IAM permissions are scoped to {@code policy/stint/*}), and
 * uses only attachment slots the role has free: IAM's quota refusal is an answer (no room), not a
 * failure. A policy keeps at most five versions: before a new default version, the oldest one that
 * is not the default is deleted. A policy left with no deny is detached and deleted (its other
 * versions first), freeing its slot for the role's owners.
 */
final class ManagedRevocations {
  static final String PATH = "/stint/";

  private final IamClient iam;
  private final String roleName;
  private final String arnPrefix;

  /**
   * For {@code roleArn} ({@code arn:PARTITION:iam::ACCOUNT:role/PATH/NAME}), through {@code iam}.
   */
  ManagedRevocations(IamClient iam, String roleArn, String roleName) {
    String[] parts = roleArn.split(":", 6);
    this.iam = iam;
    this.roleName = roleName;
    this.arnPrefix = "arn:" + parts[1] + ":iam::" + parts[4] + ":policy" + PATH;
  }

  String roleName() {
    return roleName;
  }

  /** The name of slot {@code n} (from 1). */
  String name(int n) {
    return RevocationPolicy.NAME + "-" + roleName + "-" + n;
  }

  String arn(int n) {
    return arnPrefix + name(n);
  }

  /** Which of stint's policies are attached to the role now (by ARN). */
  Set<String> attached() {
    Set<String> out = new LinkedHashSet<>();
    String marker = null;
    do {
      String from = marker;
      ListAttachedRolePoliciesResponse page =
          iam.listAttachedRolePolicies(b -> b.roleName(roleName).pathPrefix(PATH).marker(from));
      page.attachedPolicies().stream().map(AttachedPolicy::policyArn).forEach(out::add);
      marker = Boolean.TRUE.equals(page.isTruncated()) ? page.marker() : null;
    } while (marker != null);
    return out;
  }

  /** The default version's document of policy {@code arn}, decoded; empty when there is none. */
  Optional<String> document(String arn) {
    try {
      String version = iam.getPolicy(b -> b.policyArn(arn)).policy().defaultVersionId();
      String encoded =
          iam.getPolicyVersion(b -> b.policyArn(arn).versionId(version)).policyVersion().document();
      return Optional.of(URLDecoder.decode(encoded, StandardCharsets.UTF_8));
    } catch (NoSuchEntityException e) {
      return Optional.empty();
    }
  }

  /**
   * Makes {@code document} the default version of slot {@code n}, creating the policy when it does
   * not exist, and attaches it when it is not. IAM's refusal to attach one more policy to the role
   * ({@code LimitExceeded}) is the caller's to answer.
   */
  void write(int n, String document, boolean isAttached) {
    String arn = arn(n);
    try {
      iam.createPolicy(
          b ->
              b.policyName(name(n))
                  .path(PATH)
                  .policyDocument(document)
                  .description("stint: denies of revoked grants' sessions on role " + roleName));
    } catch (EntityAlreadyExistsException e) {
      PolicyVersions.newDefault(iam, arn, document);
    }
    if (!isAttached) {
      iam.attachRolePolicy(b -> b.roleName(roleName).policyArn(arn));
    }
  }

  /**
   * Detaches policy {@code arn} from the role and deletes it, its other versions first: it holds no
   * deny any more. One already gone is left so.
   */
  void remove(String arn) {
    try {
      iam.detachRolePolicy(b -> b.roleName(roleName).policyArn(arn));
    } catch (NoSuchEntityException e) {
      // not attached (any more): nothing of it reaches the role's sessions
    }
    try {
      for (PolicyVersion v : iam.listPolicyVersions(b -> b.policyArn(arn)).versions()) {
        if (!Boolean.TRUE.equals(v.isDefaultVersion())) {
          iam.deletePolicyVersion(b -> b.policyArn(arn).versionId(v.versionId()));
        }
      }
      iam.deletePolicy(b -> b.policyArn(arn));
    } catch (NoSuchEntityException e) {
      // already deleted
    }
  }

  /**
   * What writing the managed slots did: the policies that hold denies now ({@code used}), whether
   * any was written, and the slot whose attachment IAM refused for the role's quota (0: none).
   */
  record Slots(Set<String> used, boolean wrote, int refused) {}

  /**
   * Writes slots 1 and on as {@code bySlot} places them ({@code bySlot.get(0)} is the inline
   * policy's), each only when it differs from what IAM holds ({@code current}, by slot from 1).
   * Stops at the first slot IAM refuses to attach: the role's quota is taken.
   */
  Slots writeAll(
      List<List<DenyItem>> bySlot, List<Optional<String>> current, Set<String> attached) {
    Set<String> used = new LinkedHashSet<>();
    boolean wrote = false;
    for (int n = 1; n < bySlot.size(); n++) {
      if (bySlot.get(n).isEmpty()) {
        continue;
      }
      String document = RevocationPolicy.render(RevocationPolicy.managedBase(), bySlot.get(n));
      used.add(arn(n));
      if (RevocationReadBack.unchanged(current.get(n - 1), document)) {
        continue;
      }
      try {
        write(n, document, attached.contains(arn(n)));
        wrote = true;
      } catch (LimitExceededException e) {
        return new Slots(used, wrote, n);
      }
    }
    return new Slots(used, wrote, 0);
  }

  /**
   * Removes stint's policies attached to the role that hold no deny now; whether it removed any.
   */
  boolean removeAllBut(Set<String> attached, Set<String> used) {
    boolean removed = false;
    for (String arn : attached) {
      if (!used.contains(arn) && slotOf(arn) > 0) {
        remove(arn);
        removed = true;
      }
    }
    return removed;
  }

  /** The default documents of stint's policies among {@code attached}. */
  List<String> documents(Set<String> attached) {
    List<String> out = new ArrayList<>();
    for (String arn : attached) {
      if (slotOf(arn) > 0) {
        document(arn).ifPresent(out::add);
      }
    }
    return out;
  }

  /** The slot a policy of stint's on this role is, or 0 for any other policy. */
  int slotOf(String arn) {
    if (!arn.startsWith(arnPrefix + RevocationPolicy.NAME + "-" + roleName + "-")) {
      return 0;
    }
    String n = arn.substring(arn.lastIndexOf('-') + 1);
    return n.matches("[1-9][0-9]{0,2}") ? Integer.parseInt(n) : 0;
  }
}
