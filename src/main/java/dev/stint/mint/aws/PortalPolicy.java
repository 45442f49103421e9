package dev.stint.mint.aws;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stint.mint.SessionRevoker.UserCutoff;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * stint's customer managed policy in a member account, {@value #PATH}{@value #NAME}, as pure data:
 * where the deny of a revoked IAM Identity Center grant's portal sessions goes. IAM refuses every
 * write to the role Identity Center provisions ({@code UnmodifiableEntity}: "this role is only
 * modifiable by AWS"), but a permission set that references this policy has Identity Center attach
 * it, from the member account, to that role, and its default version is what the role's sessions
 * are judged by; stint rewrites it with new versions.
 *
 * <p>Every permission set that references it shares it in an account, so each statement names the
 * one provisioned role ({@code ArnLike aws:PrincipalArn}) and the one user ({@code StringLike
 * aws:userid *:<UserName>}) whose sessions issued before the revoke ({@code DateLessThan
 * aws:TokenIssueTime}) it denies: the person's sessions under another permission set stay. When
 * they do not fit IAM's limit for a managed policy, in this order ({@link Tier}): a role's users
 * are collapsed to one statement with the latest of their cutoffs, which cuts those revoked users'
 * later sessions on that role and nobody else's; only when that is not enough, each role's
 * statement denies every session of the role issued before its latest cutoff (widened: other
 * people's portal sessions of the role end too, and they take new ones from the portal).
 */
public final class PortalPolicy {
  /** The policy's path: stint's IAM permissions are scoped to {@code policy/stint/*}. */
  public static final String PATH = "/stint/";

  public static final String NAME = "stint-portal-revocations";

  /** What a permission set's {@code CustomerManagedPolicyReferences} names. */
  public static final String REFERENCE = PATH + NAME;

  /**
   * The document it is created with (Terraform's): a deny no session meets, since none was issued
   * before 2000; also what stint writes when no revocation is in force.
   */
  public static final String INITIAL =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"StintNoneYet\",\"Effect\":\"Deny\","
          + "\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"DateLessThan\":"
          + "{\"aws:TokenIssueTime\":\"2000-01-01T00:00:00Z\"}}}]}";

  static final String ROLE_KEY = "aws:PrincipalArn";

  /** How much of the cutoffs a document names one by one. */
  enum Tier {
    EACH_USER,
    USERS_BY_ROLE,
    ROLE_WIDE
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private PortalPolicy() {}

  /** The policy's ARN in the account and partition of role {@code roleArn}. */
  public static String arnFor(String roleArn) {
    String[] parts = roleArn.split(":", 6);
    if (parts.length < 6 || !parts[0].equals("arn") || !parts[5].startsWith("role/")) {
      throw new IllegalArgumentException("not an IAM role ARN");
    }
    return "arn:" + parts[1] + ":iam::" + parts[4] + ":policy" + PATH + NAME;
  }

  /** Whether {@code target} is such a policy's ARN (not a role's). */
  static boolean isPolicy(String target) {
    return target.startsWith("arn:") && target.endsWith(":policy" + PATH + NAME);
  }

  /** The document denying {@code cutoffs} in {@code tier}. */
  static String render(List<UserCutoff> cutoffs, Tier tier) {
    ObjectNode policy = JSON.createObjectNode();
    policy.put("Version", "2012-10-17");
    ArrayNode statements = policy.putArray("Statement");
    if (cutoffs.isEmpty()) {
      return INITIAL;
    }
    if (tier == Tier.EACH_USER) {
      for (UserCutoff c : cutoffs) {
        statements.add(statement("StintUser", c.role(), List.of(c.user()), c.issuedBefore()));
      }
      return policy.toString();
    }
    for (Map.Entry<String, List<UserCutoff>> role : byRole(cutoffs).entrySet()) {
      List<String> users = role.getValue().stream().map(UserCutoff::user).toList();
      Instant latest =
          role.getValue().stream().map(UserCutoff::issuedBefore).max(Instant::compareTo).get();
      statements.add(
          tier == Tier.USERS_BY_ROLE
              ? statement("StintUsers", role.getKey(), users, latest)
              : statement("StintRole", role.getKey(), List.of(), latest));
    }
    return policy.toString();
  }

  /** Each role's cutoffs, in the order first met. */
  static Map<String, List<UserCutoff>> byRole(List<UserCutoff> cutoffs) {
    Map<String, List<UserCutoff>> out = new LinkedHashMap<>();
    cutoffs.forEach(c -> out.computeIfAbsent(c.role(), k -> new ArrayList<>()).add(c));
    return out;
  }

  /**
   * One deny: the role's sessions issued before {@code before}, of {@code users} (each its {@code
   * aws:userid} ending {@code :<user>}), or everyone's when none is named.
   */
  private static ObjectNode statement(
      String kind, String role, List<String> users, Instant before) {
    ObjectNode s = JSON.createObjectNode();
    s.put("Sid", kind + hash(role + "\n" + String.join("\n", users)));
    s.put("Effect", "Deny");
    s.put("Action", "*");
    s.put("Resource", "*");
    ObjectNode condition = s.putObject("Condition");
    condition.putObject("ArnLike").put(ROLE_KEY, role);
    // A session's aws:userid is the role's id, a colon, and the user name: "*:<user>" also
    // matches another user whose name ends in ":<user>", whom "*:*:<user>" leaves out.
    if (users.size() == 1) {
      condition.putObject("StringLike").put(RevocationPolicy.USER_KEY, "*:" + users.get(0));
      condition.putObject("StringNotLike").put(RevocationPolicy.USER_KEY, "*:*:" + users.get(0));
    } else if (!users.isEmpty()) {
      ArrayNode like = condition.putObject("StringLike").putArray(RevocationPolicy.USER_KEY);
      users.forEach(u -> like.add("*:" + u));
      List<String> spared = spared(users);
      if (!spared.isEmpty()) {
        ArrayNode unlike = condition.putObject("StringNotLike").putArray(RevocationPolicy.USER_KEY);
        spared.forEach(u -> unlike.add("*:*:" + u));
      }
    }
    condition
        .putObject("DateLessThan")
        .put(RevocationPolicy.ISSUED_KEY, RevocationPolicy.at(wholeSecondFrom(before)));
    return s;
  }

  /**
   * The users of one statement whose "*:*:<user>" may be left out of it: a value of {@code
   * StringNotLike} keeps the statement from every session it matches, so one for a user whose name
   * another listed user's ends in (":<user>") would spare that other user too; such a user goes
   * without, and the statement then also reaches an unlisted user named so (a session ended too
   * many, never one too few).
   */
  static List<String> spared(List<String> users) {
    return users.stream()
        .filter(u -> users.stream().noneMatch(v -> !v.equals(u) && v.endsWith(":" + u)))
        .toList();
  }

  /**
   * {@code before}, or the next whole second: IAM compares a session's issue time to the second, so
   * a cutoff written down to its second would spare a session issued earlier in that same second.
   */
  static Instant wholeSecondFrom(Instant before) {
    Instant down = before.truncatedTo(ChronoUnit.SECONDS);
    return down.equals(before) ? before : down.plusSeconds(1);
  }

  /** IAM takes only letters and digits in a statement id; the condition names each part whole. */
  private static String hash(String value) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
