package dev.stint.standin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The customer managed policies each permission set of an SSO Admin stand-in references, by name
 * and path: what IAM Identity Center attaches, from the member account, to the role it provisions
 * there ({@link SsoAdminStandIn}). It answers {@code
 * AttachCustomerManagedPolicyReferenceToPermissionSet} (a reference already there is {@code
 * ConflictException}; past ten, {@code ServiceQuotaExceededException}) and {@code
 * ListCustomerManagedPolicyReferencesInPermissionSet} (in pages of {@code MaxResults}), as the API
 * reference says; a name or path of another form is {@code ValidationException}.
 */
final class PermissionSetPolicies {
  /** One reference: the policy's name and path in each account the permission set reaches. */
  record Reference(String name, String path) {
    /** The reference {@code pathAndName} names ({@code /stint/stint-portal-revocations}). */
    static Reference of(String pathAndName) {
      int slash = pathAndName.lastIndexOf('/');
      return new Reference(pathAndName.substring(slash + 1), pathAndName.substring(0, slash + 1));
    }

    /** The policy's ARN in {@code account}. */
    String arn(String account) {
      return "arn:aws:iam::" + account + ":policy" + path + name;
    }
  }

  /** IAM Identity Center's quota of managed policies referenced by one permission set. */
  static final int MAX_PER_SET = 10;

  private static final Pattern NAME = Pattern.compile("[\\w+=,.@-]{1,128}");
  private static final Pattern PATH = Pattern.compile("((/[A-Za-z0-9\\.,\\+@=_-]+)*)/");

  private final Map<String, List<Reference>> references = new ConcurrentHashMap<>();

  /** The references of permission set {@code arn}, in the order they were attached. */
  List<Reference> of(String arn) {
    return List.copyOf(references.getOrDefault(arn, List.of()));
  }

  /** Attaches {@code reference} to permission set {@code arn} as an administrator would. */
  synchronized void add(String arn, Reference reference) {
    List<Reference> refs = references.computeIfAbsent(arn, k -> new ArrayList<>());
    if (!refs.contains(reference)) {
      refs.add(reference);
    }
  }

  /** The answer to attaching the body's reference to permission set {@code arn}. */
  synchronized StandInReply attach(String arn, JsonObject body) {
    JsonObject ref = body.getJsonObject("CustomerManagedPolicyReference");
    String name = ref == null ? null : ref.getString("Name");
    String path = ref == null ? "/" : ref.getString("Path", "/");
    if (name == null || !NAME.matcher(name).matches()) {
      return JsonRefusals.validation("customerManagedPolicyReference.name", name);
    }
    if (!PATH.matcher(path).matches() || path.length() > 512) {
      return JsonRefusals.validation("customerManagedPolicyReference.path", path);
    }
    Reference reference = new Reference(name, path);
    List<Reference> refs = references.computeIfAbsent(arn, k -> new ArrayList<>());
    if (refs.contains(reference)) {
      return JsonServer.error(
          Refusal.sender(
              409,
              "ConflictException",
              "Customer managed policy " + path + name + " is already attached."));
    }
    if (refs.size() >= MAX_PER_SET) {
      return JsonServer.error(
          Refusal.sender(
              402,
              "ServiceQuotaExceededException",
              "The number of customer managed policies attached to the permission set has"
                  + " reached its limit."));
    }
    refs.add(reference);
    return JsonServer.json("{}");
  }

  /** The answer listing permission set {@code arn}'s references, one page of them. */
  StandInReply list(String arn, JsonObject body) {
    int max = body.getInteger("MaxResults", 100);
    int from = Integer.parseInt(body.getString("NextToken", "0"));
    List<Reference> all = of(arn);
    JsonArray page = new JsonArray();
    all.stream()
        .skip(from)
        .limit(max)
        .forEach(r -> page.add(new JsonObject().put("Name", r.name()).put("Path", r.path())));
    JsonObject out = new JsonObject().put("CustomerManagedPolicyReferences", page);
    if (from + max < all.size()) {
      out.put("NextToken", Integer.toString(from + max));
    }
    return JsonServer.json(out.encode());
  }
}
