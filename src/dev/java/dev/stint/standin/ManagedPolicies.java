package dev.stint.standin;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * An account's customer managed policies and the roles they are attached to, as IAM keeps them and
 * refuses what it refuses of them: a policy name taken ({@code EntityAlreadyExists}), an unknown
 * policy, version or attachment ({@code NoSuchEntity}), a sixth version ({@code LimitExceeded}: "A
 * managed policy can have up to 5 versions"), an attachment past the role's quota ({@code
 * LimitExceeded}: "Cannot exceed quota for PoliciesPerRole"), and deleting the default version, an
 * attached policy or one with other versions ({@code DeleteConflict}). The checks of {@link
 * IamRules} come first; this answers a call that passed them, for the account of the key that
 * signed it. Documents are URL-encoded in answers, as IAM does. Thread-safe: every call holds the
 * lock, as IAM serializes changes to one policy.
 */
public final class ManagedPolicies {
  /** IAM's default quota of managed policies attached to one role. */
  public static final int DEFAULT_PER_ROLE = 10;

  /** IAM's limit of versions one managed policy keeps. */
  public static final int MAX_VERSIONS = 5;

  private record Version(String id, String document, Instant created) {}

  private static final class Policy {
    final String arn;
    final String name;
    final String path;
    final String id;
    final Instant created;
    final Map<String, Version> versions = new LinkedHashMap<>();
    String defaultVersion;
    int next = 1;

    Policy(String arn, String name, String path, String id, Instant created) {
      this.arn = arn;
      this.name = name;
      this.path = path;
      this.id = id;
      this.created = created;
    }

    Version add(String document, Instant at) {
      Version v = new Version("v" + next++, document, at);
      versions.put(v.id(), v);
      return v;
    }
  }

  /** Policies by ARN; attachments by {@code ACCOUNT/ROLE}, in the order they were attached. */
  private final Map<String, Policy> policies = new LinkedHashMap<>();

  private final Map<String, Set<String>> attached = new LinkedHashMap<>();
  private volatile int perRole = DEFAULT_PER_ROLE;
  private int ids;

  /** The quota of managed policies attached to one role (IAM's default is 10). */
  public ManagedPolicies perRole(int quota) {
    this.perRole = quota;
    return this;
  }

  /**
   * Attaches {@code policyArn} to {@code ACCOUNT/ROLE} as an operator would (an AWS managed policy,
   * or one of the account's own): it takes a slot of the role's quota.
   */
  public synchronized void attachDirectly(String role, String policyArn) {
    attached.computeIfAbsent(role, k -> new LinkedHashSet<>()).add(policyArn);
  }

  /**
   * Creates policy {@code name} under {@code path} in {@code account} with {@code document} as its
   * first version, as the account's administrator would (Terraform, the console); its ARN.
   */
  public synchronized String create(String account, String path, String name, String document) {
    String arn = prefix("aws", account) + path + name;
    Policy p = new Policy(arn, name, path, "ANPA" + String.format("%017d", ++ids), Instant.now());
    p.defaultVersion = p.add(document, Instant.now()).id();
    policies.put(arn, p);
    return arn;
  }

  /** Deletes policy {@code arn} and its attachments, as an administrator could. */
  public synchronized void remove(String arn) {
    attached.values().forEach(a -> a.remove(arn));
    policies.remove(arn);
  }

  /** The default versions of the managed policies attached to {@code ACCOUNT/ROLE}. */
  public synchronized List<String> documents(String role) {
    List<String> out = new ArrayList<>();
    for (String arn : attached.getOrDefault(role, Set.of())) {
      Policy p = policies.get(arn);
      if (p != null) {
        out.add(p.versions.get(p.defaultVersion).document());
      }
    }
    return out;
  }

  /** The ARNs of the policies attached to {@code ACCOUNT/ROLE}, in attachment order. */
  public synchronized List<String> attachedTo(String role) {
    return List.copyOf(attached.getOrDefault(role, Set.of()));
  }

  /** How many versions policy {@code arn} keeps; 0 when it does not exist. */
  public synchronized int versions(String arn) {
    Policy p = policies.get(arn);
    return p == null ? 0 : p.versions.size();
  }

  /** Whether policy {@code arn} exists. */
  public synchronized boolean exists(String arn) {
    return policies.containsKey(arn);
  }

  /**
   * IAM's answer to a managed policy call that passed {@link IamRules#refusal}, made by a key of
   * {@code account}, in partition {@code partition}; {@code roles} tells which {@code ACCOUNT/ROLE}
   * exist.
   */
  public synchronized StandInReply answer(
      QueryRequest request, String account, String partition, Predicate<String> roles) {
    String action = request.param("Action");
    Instant now = Instant.now();
    return switch (action) {
      case IamRules.CREATE_POLICY -> create(request, account, partition, now);
      case IamRules.LIST_ATTACHED -> listAttached(request, account, roles);
      case IamRules.ATTACH, IamRules.DETACH -> attachment(request, account, roles);
      default -> onPolicy(request, account, now);
    };
  }

  private StandInReply create(QueryRequest request, String account, String partition, Instant now) {
    String name = request.param("PolicyName");
    String path = Optional.ofNullable(request.param("Path")).orElse("/");
    for (Policy p : policies.values()) {
      if (p.arn.startsWith(prefix(partition, account)) && p.name.equalsIgnoreCase(name)) {
        return error(
            409,
            "EntityAlreadyExists",
            "A policy called " + name + " already exists. Duplicate names are not allowed.");
      }
    }
    String arn = prefix(partition, account) + path + name;
    Policy p = new Policy(arn, name, path, "ANPA" + String.format("%017d", ++ids), now);
    p.defaultVersion = p.add(request.param("PolicyDocument"), now).id();
    policies.put(arn, p);
    return ok(IamRules.CREATE_POLICY, "<Policy>" + policy(p) + "</Policy>");
  }

  private StandInReply onPolicy(QueryRequest request, String account, Instant now) {
    String arn = request.param("PolicyArn");
    Policy p = policies.get(arn);
    if (p == null || !ownedBy(arn, account)) {
      return noSuchPolicy(arn);
    }
    String action = request.param("Action");
    return switch (action) {
      case IamRules.GET_POLICY -> ok(action, "<Policy>" + policy(p) + "</Policy>");
      case IamRules.CREATE_VERSION -> createVersion(request, p, now);
      case IamRules.GET_VERSION -> getVersion(request, p);
      case IamRules.LIST_VERSIONS -> listVersions(p);
      case IamRules.DELETE_VERSION -> deleteVersion(request, p);
      case IamRules.DELETE_POLICY -> delete(p);
      default -> throw new IllegalArgumentException("not a managed policy call: " + action);
    };
  }

  private StandInReply createVersion(QueryRequest request, Policy p, Instant now) {
    if (p.versions.size() >= MAX_VERSIONS) {
      return error(
          409,
          "LimitExceeded",
          "A managed policy can have up to "
              + MAX_VERSIONS
              + " versions. Before you create a new version, you must delete an existing version.");
    }
    Version v = p.add(request.param("PolicyDocument"), now);
    boolean makeDefault = "true".equalsIgnoreCase(request.param("SetAsDefault"));
    if (makeDefault) {
      p.defaultVersion = v.id();
    }
    return ok(
        IamRules.CREATE_VERSION, "<PolicyVersion>" + version(p, v, false) + "</PolicyVersion>");
  }

  private StandInReply getVersion(QueryRequest request, Policy p) {
    Version v = p.versions.get(request.param("VersionId"));
    if (v == null) {
      return error(
          404,
          "NoSuchEntity",
          "Policy " + p.arn + " version " + request.param("VersionId") + " does not exist.");
    }
    return ok(IamRules.GET_VERSION, "<PolicyVersion>" + version(p, v, true) + "</PolicyVersion>");
  }

  private StandInReply listVersions(Policy p) {
    StringBuilder members = new StringBuilder();
    // Newest first, as IAM lists them.
    List<Version> all = new ArrayList<>(p.versions.values());
    for (int i = all.size() - 1; i >= 0; i--) {
      members.append("<member>").append(version(p, all.get(i), false)).append("</member>");
    }
    return ok(
        IamRules.LIST_VERSIONS,
        "<Versions>" + members + "</Versions><IsTruncated>false</IsTruncated>");
  }

  private StandInReply deleteVersion(QueryRequest request, Policy p) {
    String id = request.param("VersionId");
    if (!p.versions.containsKey(id)) {
      return error(404, "NoSuchEntity", "Policy " + p.arn + " version " + id + " does not exist.");
    }
    if (id.equals(p.defaultVersion)) {
      return error(409, "DeleteConflict", "Cannot delete the default version of a policy.");
    }
    p.versions.remove(id);
    return ok(IamRules.DELETE_VERSION, "");
  }

  private StandInReply delete(Policy p) {
    if (attached.values().stream().anyMatch(a -> a.contains(p.arn))) {
      return error(409, "DeleteConflict", "Cannot delete a policy attached to entities.");
    }
    if (p.versions.size() > 1) {
      return error(
          409,
          "DeleteConflict",
          "This policy has more than one version. Before you delete a policy, you must delete"
              + " the policy's versions. The default version is deleted with the policy.");
    }
    policies.remove(p.arn);
    return ok(IamRules.DELETE_POLICY, "");
  }

  private StandInReply attachment(QueryRequest request, String account, Predicate<String> roles) {
    String role = account + "/" + request.param("RoleName");
    if (!roles.test(role)) {
      return noSuchRole(request.param("RoleName"));
    }
    String arn = request.param("PolicyArn");
    Set<String> on = attached.computeIfAbsent(role, k -> new LinkedHashSet<>());
    if (IamRules.DETACH.equals(request.param("Action"))) {
      if (!on.remove(arn)) {
        return error(404, "NoSuchEntity", "Policy " + arn + " was not found.");
      }
      return ok(IamRules.DETACH, "");
    }
    if (!policies.containsKey(arn) || !ownedBy(arn, account)) {
      return noSuchPolicy(arn);
    }
    if (!on.contains(arn) && on.size() >= perRole) {
      return error(409, "LimitExceeded", "Cannot exceed quota for PoliciesPerRole: " + perRole);
    }
    on.add(arn);
    return ok(IamRules.ATTACH, "");
  }

  private StandInReply listAttached(QueryRequest request, String account, Predicate<String> roles) {
    String role = account + "/" + request.param("RoleName");
    if (!roles.test(role)) {
      return noSuchRole(request.param("RoleName"));
    }
    String prefix = Optional.ofNullable(request.param("PathPrefix")).orElse("/");
    StringBuilder members = new StringBuilder();
    for (String arn : attached.getOrDefault(role, Set.of())) {
      String path = arn.substring(arn.indexOf(":policy") + ":policy".length());
      if (!path.startsWith(prefix)) {
        continue;
      }
      members
          .append("<member><PolicyName>")
          .append(Xml.escape(path.substring(path.lastIndexOf('/') + 1)))
          .append("</PolicyName><PolicyArn>")
          .append(Xml.escape(arn))
          .append("</PolicyArn></member>");
    }
    return ok(
        IamRules.LIST_ATTACHED,
        "<AttachedPolicies>" + members + "</AttachedPolicies><IsTruncated>false</IsTruncated>");
  }

  private String policy(Policy p) {
    long attachments = attached.values().stream().filter(a -> a.contains(p.arn)).count();
    return "<PolicyName>"
        + Xml.escape(p.name)
        + "</PolicyName><DefaultVersionId>"
        + p.defaultVersion
        + "</DefaultVersionId><PolicyId>"
        + p.id
        + "</PolicyId><Path>"
        + Xml.escape(p.path)
        + "</Path><Arn>"
        + Xml.escape(p.arn)
        + "</Arn><AttachmentCount>"
        + attachments
        + "</AttachmentCount><CreateDate>"
        + p.created
        + "</CreateDate><UpdateDate>"
        + p.versions.get(p.defaultVersion).created()
        + "</UpdateDate><IsAttachable>true</IsAttachable>";
  }

  private static String version(Policy p, Version v, boolean withDocument) {
    return (withDocument
            ? "<Document>"
                + URLEncoder.encode(v.document(), StandardCharsets.UTF_8).replace("+", "%20")
                + "</Document>"
            : "")
        + "<VersionId>"
        + v.id()
        + "</VersionId><IsDefaultVersion>"
        + v.id().equals(p.defaultVersion)
        + "</IsDefaultVersion><CreateDate>"
        + v.created()
        + "</CreateDate>";
  }

  private static String prefix(String partition, String account) {
    return "arn:" + partition + ":iam::" + account + ":policy";
  }

  private static boolean ownedBy(String arn, String account) {
    String[] parts = arn.split(":", 6);
    return parts.length == 6 && parts[4].equals(account);
  }

  private static StandInReply noSuchPolicy(String arn) {
    return error(404, "NoSuchEntity", "Policy " + arn + " does not exist or is not attachable.");
  }

  private static StandInReply noSuchRole(String role) {
    return error(404, "NoSuchEntity", "The role with name " + role + " cannot be found.");
  }

  private static StandInReply error(int status, String code, String message) {
    return StandInReply.error(Refusal.sender(status, code, message), IamRules.NAMESPACE);
  }

  private static StandInReply ok(String action, String result) {
    return StandInReply.xml(
        "<"
            + action
            + "Response xmlns=\""
            + IamRules.NAMESPACE
            + "\">"
            + (result.isEmpty()
                ? ""
                : "<" + action + "Result>" + result + "</" + action + "Result>")
            + "<ResponseMetadata><RequestId>"
            + StandInReply.requestId()
            + "</RequestId></ResponseMetadata></"
            + action
            + "Response>");
  }

  /** The partition whose IAM signing region {@code region} is. */
  public static String partition(String region) {
    return switch (region) {
      case "cn-north-1" -> "aws-cn";
      case "us-gov-west-1" -> "aws-us-gov";
      default -> "aws";
    };
  }
}
