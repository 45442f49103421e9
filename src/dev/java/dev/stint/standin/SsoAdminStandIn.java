package dev.stint.standin;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * A local IAM Identity Center instance's SSO Admin API (the {@code SWBExternalService} JSON 1.1
 * target): permission sets, account assignments of users, and the asynchronous requests that make
 * and remove them. {@code CreateAccountAssignment} and {@code DeleteAccountAssignment} answer
 * {@code IN_PROGRESS} with a request id; {@code DescribeAccountAssignmentCreationStatus} and {@code
 * DescribeAccountAssignmentDeletionStatus} answer {@code IN_PROGRESS} for {@link
 * SsoAdminRequests#pollsBeforeDone} looks, then {@code SUCCEEDED} (or {@code FAILED} with its
 * reason, for a principal the identity store does not hold, or a deletion a test has fail, {@link
 * SsoAdminRequests#failDeletions}); {@code ListAccountAssignmentCreationStatus} lists the creation
 * requests by id, status and time, filtered by status; {@code ListAccountAssignments} lists an
 * assignment only once its creation is no longer in progress, and until its deletion is done. The
 * first assignment of a permission set to an account provisions its role there, {@code
 * AWSReservedSSO_<name>_<suffix>} under {@link #ROLE_PATH}, told to the {@code provisioned} hook
 * with the customer managed policies the permission set references ({@link PermissionSetPolicies}),
 * which the IAM stand-in attaches to it. It refuses as the API reference says: unsigned calls,
 * another operation, malformed ARNs and ids ({@code ValidationException}), an unknown instance,
 * permission set or request ({@code ResourceNotFoundException}), and the failures a test asks for
 * next ({@link #failNext}: {@code ThrottlingException}, {@code ConflictException}, {@code
 * AccessDeniedException}), and, given its home region, a call signed for another.
 */
public final class SsoAdminStandIn implements AutoCloseable {
  public static final String SERVICE = "sso";
  public static final String PREFIX = "SWBExternalService.";

  /** Where IAM Identity Center puts the roles it provisions in an account. */
  public static final String ROLE_PATH = "/aws-reserved/sso.amazonaws.com/";

  /**
   * Told when a permission set is first provisioned to an account: the account, the role's name,
   * and the ARNs there of the customer managed policies the permission set references, which IAM
   * Identity Center attaches to the role.
   */
  @FunctionalInterface
  public interface Provisioned {
    void role(String account, String roleName, List<String> policyArns);
  }

  /** One assignment: a user's permission set in an account. */
  public record Assignment(String account, String permissionSetArn, String principalId) {}

  private final String instanceArn;
  private final String instanceId;
  private final Clock clock;
  private final Map<String, String> permissionSets = new ConcurrentHashMap<>();
  private final Set<Assignment> assignments = ConcurrentHashMap.newKeySet();
  private final Set<String> provisioned = ConcurrentHashMap.newKeySet();
  private final SsoAdminRequests requests;
  private final PermissionSetPolicies policies = new PermissionSetPolicies();
  private final Deque<Refusal> failures = new ArrayDeque<>();
  private final List<String> calls = new ArrayList<>();
  private final JsonServer server;
  private volatile Predicate<String> principals = id -> true;
  private volatile Provisioned provision = (account, role, policyArns) -> {};
  private final Predicate<String> region;

  /** An instance {@code arn:aws:sso:::instance/ssoins-…} with a random id, in any region. */
  public SsoAdminStandIn(Clock clock) {
    this(clock, SigV4.ANY_REGION, "ssoins-" + hex(8), Map.of(), Map.of());
  }

  /**
   * An instance whose home region is {@code home}: a call signed for another is refused, as AWS
   * refuses a signature scoped to a region other than its endpoint's.
   */
  public SsoAdminStandIn(Clock clock, String home) {
    this(clock, home::equals, "ssoins-" + hex(8), Map.of(), Map.of());
  }

  /**
   * The instance {@code instanceId} ({@code ssoins-} and 16 characters) with {@code permissionSets}
   * (names by ARN, each of this instance), as a policy names them, in any region.
   */
  public SsoAdminStandIn(Clock clock, String instanceId, Map<String, String> permissionSets) {
    this(clock, SigV4.ANY_REGION, instanceId, permissionSets, Map.of());
  }

  /**
   * As above, each permission set referencing the customer managed policies {@code references}
   * gives it (each as its path and name, {@code /stint/stint-portal-revocations}).
   */
  public SsoAdminStandIn(
      Clock clock,
      String instanceId,
      Map<String, String> permissionSets,
      Map<String, List<String>> references) {
    this(clock, SigV4.ANY_REGION, instanceId, permissionSets, references);
  }

  private SsoAdminStandIn(
      Clock clock,
      Predicate<String> region,
      String instanceId,
      Map<String, String> permissionSets,
      Map<String, List<String>> references) {
    this.region = region;
    this.instanceId = instanceId;
    this.instanceArn = "arn:aws:sso:::instance/" + instanceId;
    if (!SsoAdminInput.INSTANCE_ARN.matcher(instanceArn).matches()) {
      throw new IllegalArgumentException("not an instance id: " + instanceId);
    }
    permissionSets.forEach(
        (arn, name) -> {
          if (!SsoAdminInput.PERMISSION_SET_ARN.matcher(arn).matches()
              || !arn.startsWith("arn:aws:sso:::permissionSet/" + instanceId + "/")) {
            throw new IllegalArgumentException(
                "not a permission set of " + instanceId + ": " + arn);
          }
          this.permissionSets.put(arn, name);
        });
    references.forEach(
        (arn, refs) -> refs.forEach(r -> policies.add(arn, PermissionSetPolicies.Reference.of(r))));
    this.clock = clock;
    // A deletion done removes its assignment: until then AWS still lists it.
    this.requests =
        new SsoAdminRequests(
            clock,
            done ->
                assignments.remove(
                    new Assignment(done.account(), done.permissionSetArn(), done.principalId())));
    this.server = new JsonServer(call -> CompletableFuture.completedFuture(answer(call)));
  }

  public URI uri() {
    return server.uri();
  }

  public String instanceArn() {
    return instanceArn;
  }

  /**
   * A permission set named {@code name} referencing the customer managed policies {@code
   * references} (each its path and name, {@code /stint/stint-portal-revocations}); its ARN.
   */
  public String addPermissionSet(String name, String... references) {
    String arn = "arn:aws:sso:::permissionSet/" + instanceId + "/ps-" + hex(8);
    permissionSets.put(arn, name);
    for (String r : references) {
      policies.add(arn, PermissionSetPolicies.Reference.of(r));
    }
    return arn;
  }

  /** Which principal ids exist (the identity store's users); others fail to be assigned. */
  public SsoAdminStandIn principals(Predicate<String> exists) {
    this.principals = exists;
    return this;
  }

  /** Told when a permission set is first provisioned to an account ({@link Provisioned}). */
  public SsoAdminStandIn onProvisioned(Provisioned hook) {
    this.provision = hook;
    return this;
  }

  /** Assigns as an administrator would, outside stint: no request, at once. */
  public SsoAdminStandIn assign(String account, String permissionSetArn, String principalId) {
    Assignment a = new Assignment(account, permissionSetArn, principalId);
    assignments.add(a);
    provisionFor(a);
    return this;
  }

  public Set<Assignment> assignments() {
    return Set.copyOf(assignments);
  }

  /** Its asynchronous requests: how long they take, and how they end. */
  public SsoAdminRequests requests() {
    return requests;
  }

  /** The operations called so far, in order (the target without its prefix). */
  public synchronized List<String> calls() {
    return List.copyOf(calls);
  }

  /** The next call is refused with {@code code}. */
  public synchronized SsoAdminStandIn failNext(String code) {
    failures.add(
        switch (code) {
          case "ThrottlingException" -> Refusal.sender(400, code, "Rate exceeded");
          case "ConflictException" ->
              Refusal.sender(
                  409,
                  code,
                  "There is a conflicting operation in process. Please try again later.");
          case "AccessDeniedException" ->
              Refusal.sender(403, code, "User is not authorized to perform this action");
          default -> throw new IllegalArgumentException("no such failure: " + code);
        });
    return this;
  }

  private StandInReply answer(JsonServer.Call call) {
    String target = call.request().header("X-Amz-Target");
    if (!"POST".equals(call.request().method()) || target == null || !target.startsWith(PREFIX)) {
      return JsonServer.error(Refusal.sender(400, "UnknownOperationException", null));
    }
    Optional<Refusal> unsigned = SigV4.check(call.request(), SERVICE, region);
    if (unsigned.isPresent()) {
      return JsonServer.error(JsonRefusals.inJson(unsigned.get()));
    }
    String operation = target.substring(PREFIX.length());
    Refusal failure = recorded(operation);
    if (failure != null) {
      return JsonServer.error(failure);
    }
    JsonObject body;
    try {
      body = new JsonObject(call.body());
    } catch (DecodeException | ClassCastException e) {
      return JsonServer.error(Refusal.sender(400, "SerializationException", null));
    }
    String instance = body.getString("InstanceArn");
    if (instance == null || !SsoAdminInput.INSTANCE_ARN.matcher(instance).matches()) {
      return JsonRefusals.validation("instanceArn", instance);
    }
    if (!instance.equals(instanceArn)) {
      return JsonRefusals.notFound("INSTANCE", instance);
    }
    return switch (operation) {
      case "CreateAccountAssignment" -> change(body, true);
      case "DeleteAccountAssignment" -> change(body, false);
      case "DescribeAccountAssignmentCreationStatus" ->
          requests.status(body.getString("AccountAssignmentCreationRequestId"), true);
      case "DescribeAccountAssignmentDeletionStatus" ->
          requests.status(body.getString("AccountAssignmentDeletionRequestId"), false);
      case "ListAccountAssignments" -> list(body);
      case "ListAccountAssignmentCreationStatus" -> requests.creations(body);
      case "DescribePermissionSet" -> describePermissionSet(body);
      case "AttachCustomerManagedPolicyReferenceToPermissionSet",
          "ListCustomerManagedPolicyReferencesInPermissionSet" ->
          references(operation, body);
      default -> JsonServer.error(Refusal.sender(400, "UnknownOperationException", null));
    };
  }

  private StandInReply change(JsonObject body, boolean creation) {
    Optional<StandInReply> refused = SsoAdminInput.assignment(body, permissionSets::containsKey);
    if (refused.isPresent()) {
      return refused.get();
    }
    Assignment a =
        new Assignment(
            body.getString("TargetId"),
            body.getString("PermissionSetArn"),
            body.getString("PrincipalId"));
    String outcome = "SUCCEEDED";
    String reason = null;
    if (creation && !principals.test(a.principalId())) {
      outcome = "FAILED";
      reason = "Request failed: principal " + a.principalId() + " does not exist.";
    } else if (creation) {
      assignments.add(a);
      provisionFor(a);
    } else if (requests.deletionFailure().isPresent()) {
      outcome = "FAILED";
      reason = requests.deletionFailure().get();
    }
    return requests.start(
        creation, a.account(), a.permissionSetArn(), a.principalId(), outcome, reason);
  }

  private StandInReply list(JsonObject body) {
    String account = body.getString("AccountId");
    // Listing a well-formed permission set the instance does not hold lists nothing.
    Optional<StandInReply> refused =
        SsoAdminInput.account("accountId", account)
            .or(() -> SsoAdminInput.permissionSet(body, arn -> true));
    if (refused.isPresent()) {
      return refused.get();
    }
    String ps = body.getString("PermissionSetArn");
    int max = body.getInteger("MaxResults", 100);
    int from = Integer.parseInt(body.getString("NextToken", "0"));
    List<Assignment> all =
        assignments.stream()
            .filter(a -> a.account().equals(account) && a.permissionSetArn().equals(ps))
            .filter(a -> !requests.creating(a.account(), a.permissionSetArn(), a.principalId()))
            .sorted((x, y) -> x.principalId().compareTo(y.principalId()))
            .toList();
    JsonArray page = new JsonArray();
    all.stream()
        .skip(from)
        .limit(max)
        .forEach(
            a ->
                page.add(
                    new JsonObject()
                        .put("AccountId", a.account())
                        .put("PermissionSetArn", a.permissionSetArn())
                        .put("PrincipalType", "USER")
                        .put("PrincipalId", a.principalId())));
    JsonObject out = new JsonObject().put("AccountAssignments", page);
    if (from + max < all.size()) {
      out.put("NextToken", Integer.toString(from + max));
    }
    return JsonServer.json(out.encode());
  }

  private StandInReply describePermissionSet(JsonObject body) {
    Optional<StandInReply> refused = SsoAdminInput.permissionSet(body, permissionSets::containsKey);
    if (refused.isPresent()) {
      return refused.get();
    }
    String ps = body.getString("PermissionSetArn");
    String name = permissionSets.get(ps);
    JsonObject set =
        new JsonObject()
            .put("Name", name)
            .put("PermissionSetArn", ps)
            .put("SessionDuration", "PT1H")
            .put("CreatedDate", clock.instant().getEpochSecond());
    return JsonServer.json(new JsonObject().put("PermissionSet", set).encode());
  }

  private StandInReply references(String operation, JsonObject body) {
    Optional<StandInReply> refused = SsoAdminInput.permissionSet(body, permissionSets::containsKey);
    if (refused.isPresent()) {
      return refused.get();
    }
    String ps = body.getString("PermissionSetArn");
    return operation.startsWith("Attach") ? policies.attach(ps, body) : policies.list(ps, body);
  }

  private void provisionFor(Assignment a) {
    if (provisioned.add(a.account() + "|" + a.permissionSetArn())) {
      String name = permissionSets.getOrDefault(a.permissionSetArn(), "Unknown");
      provision.role(
          a.account(),
          "AWSReservedSSO_" + name + "_" + hex(8),
          policies.of(a.permissionSetArn()).stream().map(r -> r.arn(a.account())).toList());
    }
  }

  private synchronized Refusal recorded(String operation) {
    calls.add(operation);
    return failures.poll();
  }

  private static String hex(int bytes) {
    byte[] random = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(random);
    return HexFormat.of().formatHex(random);
  }

  @Override
  public void close() {
    server.close();
  }
}
