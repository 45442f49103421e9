package dev.stint.standin;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * STS's answer to an {@code AssumeRole} or {@code AssumeRoleWithWebIdentity} it accepted, in the
 * real XML shape, with fresh credentials of the real form that are useless outside the stand-in;
 * and its answer to a {@code GetCallerIdentity} signed with such credentials.
 */
public final class StsDocuments {
  /** Credentials as STS issues them: access key id, secret, session token and expiry. */
  public record Credentials(
      String accessKeyId, String secretAccessKey, String sessionToken, Instant expiration) {
    @Override
    public String toString() {
      return "Credentials[" + accessKeyId + ", expires " + expiration + "]";
    }
  }

  /** Who a caller is, as {@code GetCallerIdentity} answers: its ARN, its id and its account. */
  public sealed interface Identity permits AssumedRole, User {
    String arn();

    String id();

    String account();
  }

  /**
   * Who a session is: its assumed-role ARN ({@code arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION},
   * the role's name without its path), its id ({@code AROA…:SESSION}) and its account.
   */
  public record AssumedRole(String arn, String id, String account) implements Identity {
    /** The role's name, without its path. */
    public String roleName() {
      String rest = arn.substring(arn.indexOf(":assumed-role/") + ":assumed-role/".length());
      return rest.substring(0, rest.indexOf('/'));
    }
  }

  /** An IAM user, the owner of long-term keys. */
  public record User(String arn, String id, String account) implements Identity {}

  /** stint's own identity, whose keys the stand-ins did not mint. */
  public static final User HOME_USER =
      new User(SigningKeys.HOME_USER, "AIDASTINTHOMEUSER0001", SigningKeys.HOME_ACCOUNT);

  /**
   * Credentials a stand-in minted, the session they sign as, what IAM knows of it (its tags, source
   * identity and issue time), its inline session policy, and whether managed session policies
   * ({@code PolicyArns}) narrow it too.
   */
  public record Session(
      Credentials credentials,
      AssumedRole role,
      IamEvaluator.Session context,
      Optional<String> policy,
      boolean managedPolicies) {
    /** The session {@code request}, an accepted assume call, started at {@code issuedAt}. */
    public static Session started(QueryRequest request, Credentials credentials, Instant issuedAt) {
      boolean web = StsRules.WEB_IDENTITY.equals(request.param("Action"));
      Map<String, String> tags = new LinkedHashMap<>();
      String source;
      if (web) {
        JWTClaimsSet claims = claims(request.param("WebIdentityToken"));
        source = string(claims, SOURCE_IDENTITY_CLAIM);
        tags.putAll(principalTags(claims));
      } else {
        source = request.param("SourceIdentity");
        SessionTags.fromParams(request).forEach(t -> tags.put(t.getKey(), t.getValue()));
      }
      return new Session(
          credentials,
          assumedRole(request),
          new IamEvaluator.Session(tags, Optional.ofNullable(source), issuedAt),
          Optional.ofNullable(request.param("Policy")),
          request.param("PolicyArns.member.1.arn") != null);
    }

    /**
     * A session of {@code roleArn} named {@code sessionName}, as the AWS access portal has one
     * started for a user of an assignment: no tags, no source identity, no session policy; IAM
     * knows its {@code aws:userid} (the role's id, then the session name) and its {@code
     * aws:PrincipalArn} (the role's ARN, path and all), which a deny can match.
     */
    public static Session portal(
        Credentials credentials, String roleArn, String sessionName, Instant issuedAt) {
      AssumedRole role = assumedRole(roleArn, sessionName);
      return new Session(
          credentials,
          role,
          new IamEvaluator.Session(
              Map.of(), Optional.empty(), issuedAt, Optional.of(role.id()), Optional.of(roleArn)),
          Optional.empty(),
          false);
    }

    /** The session's key, as other services learn its account from it. */
    public SigningKeys.SessionKey key() {
      return new SigningKeys.SessionKey(
          credentials.accessKeyId(), credentials.secretAccessKey(), role.account());
    }
  }

  /** Where a web identity token carries the session's source identity and tags. */
  static final String SOURCE_IDENTITY_CLAIM = "https://aws.amazon.com/source_identity";

  static final String TAGS_CLAIM = "https://aws.amazon.com/tags";

  /** The claims of a token STS has already verified. */
  private static JWTClaimsSet claims(String token) {
    try {
      return JWTParser.parse(token).getJWTClaimsSet();
    } catch (ParseException e) {
      throw new IllegalArgumentException("a token STS accepted does not parse", e);
    }
  }

  private static String string(JWTClaimsSet claims, String name) {
    Object value = claims.getClaim(name);
    return value instanceof String s ? s : null;
  }

  /** {@code principal_tags}: each tag's first value, as STS takes them. */
  static Map<String, String> principalTags(JWTClaimsSet claims) {
    Map<String, String> out = new LinkedHashMap<>();
    if (claims.getClaim(TAGS_CLAIM) instanceof Map<?, ?> tags
        && tags.get("principal_tags") instanceof Map<?, ?> principal) {
      principal.forEach(
          (k, v) -> {
            if (v instanceof List<?> l && !l.isEmpty()) {
              out.put(String.valueOf(k), String.valueOf(l.get(0)));
            }
          });
    }
    return out;
  }

  private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

  /** The demo account's role id: every stand-in role shares it, as no call tells them apart. */
  private static final String ROLE_ID = "AROA3XFRBF535PLBIFPI4";

  private StsDocuments() {}

  /** New credentials expiring at {@code expiration}. */
  public static Credentials credentials(SecureRandom random, Instant expiration) {
    return new Credentials(
        "ASIA" + random(random, 16),
        random(random, 40),
        "FQoGZXIvYXdzE" + random(random, 200),
        expiration);
  }

  /**
   * The session an accepted {@code AssumeRole} or {@code AssumeRoleWithWebIdentity} starts: in the
   * role's partition and account ({@code arn:PARTITION:iam::ACCOUNT:role/PATH/NAME}, which {@link
   * StsRules} has checked), named by {@code RoleSessionName}.
   */
  public static AssumedRole assumedRole(QueryRequest request) {
    return assumedRole(request.param("RoleArn"), request.param("RoleSessionName"));
  }

  /** The session of the role {@code roleArn} named {@code session}. */
  static AssumedRole assumedRole(String roleArn, String session) {
    String[] role = roleArn.split(":", 6);
    String roleName = role[5].substring(role[5].lastIndexOf('/') + 1);
    return new AssumedRole(
        "arn:" + role[1] + ":sts::" + role[4] + ":assumed-role/" + roleName + "/" + session,
        ROLE_ID + ":" + session,
        role[4]);
  }

  /** STS's answer to a {@code GetCallerIdentity} signed with the credentials of {@code role}. */
  public static String callerIdentity(Identity role) {
    return "<GetCallerIdentityResponse xmlns=\""
        + StsRules.NAMESPACE
        + "\"><GetCallerIdentityResult><Arn>"
        + Xml.escape(role.arn())
        + "</Arn><UserId>"
        + Xml.escape(role.id())
        + "</UserId><Account>"
        + Xml.escape(role.account())
        + "</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>"
        + StandInReply.requestId()
        + "</RequestId></ResponseMetadata></GetCallerIdentityResponse>";
  }

  /** The answer to {@code request} (its action, role, session and source identity). */
  public static String assumed(QueryRequest request, Credentials credentials) {
    String action = request.param("Action");
    AssumedRole role = assumedRole(request);
    String sourceIdentity = request.param("SourceIdentity");
    OptionalInt packed = PackedPolicy.percent(request);
    return "<"
        + action
        + "Response xmlns=\""
        + StsRules.NAMESPACE
        + "\"><"
        + action
        + "Result>"
        + (sourceIdentity == null
            ? ""
            : "<SourceIdentity>" + Xml.escape(sourceIdentity) + "</SourceIdentity>")
        + "<AssumedRoleUser><Arn>"
        + Xml.escape(role.arn())
        + "</Arn><AssumedRoleId>"
        + Xml.escape(role.id())
        + "</AssumedRoleId></AssumedRoleUser><Credentials><AccessKeyId>"
        + credentials.accessKeyId()
        + "</AccessKeyId><SecretAccessKey>"
        + credentials.secretAccessKey()
        + "</SecretAccessKey><SessionToken>"
        + credentials.sessionToken()
        + "</SessionToken><Expiration>"
        + credentials.expiration()
        + "</Expiration></Credentials>"
        + (packed.isPresent()
            ? "<PackedPolicySize>" + packed.getAsInt() + "</PackedPolicySize>"
            : "")
        + "</"
        + action
        + "Result><ResponseMetadata><RequestId>"
        + StandInReply.requestId()
        + "</RequestId></ResponseMetadata></"
        + action
        + "Response>";
  }

  private static String random(SecureRandom random, int length) {
    // One call into SecureRandom per value, not one per character: under load the stand-in
    // spent more on the PRNG's lock than stint spends on a call.
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    StringBuilder b = new StringBuilder(length);
    for (byte x : bytes) {
      b.append(ALPHABET.charAt(x & 31)); // 32 letters: every one equally likely
    }
    return length > 16 ? b.toString().toLowerCase(Locale.ROOT).replace('a', 'A') : b.toString();
  }
}
