package dev.stint.standin;

import com.nimbusds.jwt.JWTClaimsSet;
import java.text.ParseException;
import java.time.Instant;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * What STS refuses of an {@code AssumeRole} or {@code AssumeRoleWithWebIdentity}, checked in the
 * order STS meets it: the operation ({@code Action}, {@code Version}); for {@code AssumeRole}, the
 * SigV4 signature ({@code AssumeRoleWithWebIdentity} is the one unsigned call: its token is the
 * credential); the parameters against the API model ({@code ValidationError}, every broken
 * constraint listed); then the role ARN, the role's maximum session duration, the session policy
 * ({@code MalformedPolicyDocument}, {@code PackedPolicyTooLarge}) and the web identity token
 * ({@code InvalidIdentityToken}, {@code ExpiredTokenException}), with the source identity and tags
 * it carries.
 *
 * <p>The limits are the STS API reference's: a role ARN of 20 to 2048 characters; a session name
 * and a source identity of 2 to 64 of {@code [\w+=,.@-]}, the source identity not starting {@code
 * aws:}; a duration of 900 to 43200 seconds, and no more than the role's maximum; a session policy
 * of 1 to 2048 characters from tab, newline, carriage return and {@code U+0020}-{@code U+00FF},
 * with the managed policy ARNs at most 2048 plain characters together ("the plaintext that you use
 * for both inline and managed session policies can't exceed 2,048 characters"); a token of 4 to
 * 20000 characters. The packed, compressed form AWS also limits has no published size, so beyond
 * that documented plaintext limit it is not modelled.
 */
public final class StsRules {
  public static final String VERSION = "2011-06-15";
  public static final String NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";
  public static final String ASSUME_ROLE = "AssumeRole";
  public static final String WEB_IDENTITY = "AssumeRoleWithWebIdentity";
  public static final String CALLER_IDENTITY = "GetCallerIdentity";

  /** A session's length when the call names none. */
  public static final int DEFAULT_SECONDS = 3600;

  public static final int MAX_SECONDS = 43_200;

  private static final Set<String> ACTIONS = Set.of(ASSUME_ROLE, WEB_IDENTITY);
  private static final int MIN_SECONDS = 900;
  private static final String NAME = "[\\w+=,.@-]*";
  private static final Member ROLE_ARN =
      new Member(
          "roleArn",
          20,
          2048,
          "[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u0085\\u00A0-\\uD7FF\\uE000-\\uFFFD\\u10000-"
              + "\\u10FFFF]+",
          "[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u0085\\u00A0-\\uD7FF\\uE000-\\uFFFD]+");
  private static final Member SESSION_NAME = new Member("roleSessionName", 2, 64, NAME);
  private static final Member SOURCE_IDENTITY = new Member("sourceIdentity", 2, 64, NAME);
  private static final Member POLICY =
      new Member("policy", 1, PackedPolicy.MAX_CHARS, "[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+");
  private static final Member TOKEN = new Member("webIdentityToken", 4, 20_000, null);
  private static final Pattern IAM_ROLE =
      Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}");

  /**
   * What the account holds that STS checks a call against: its IAM OIDC providers by issuer, and
   * the {@code MaxSessionDuration} of roles that set one (a role not listed allows 43200 seconds).
   */
  public record Account(Map<String, OidcProvider> providers, Map<String, Integer> maxSeconds) {
    public Account {
      providers = Map.copyOf(providers);
      maxSeconds = Map.copyOf(maxSeconds);
    }

    public static final Account EMPTY = new Account(Map.of(), Map.of());
  }

  private StsRules() {}

  /** Why STS would refuse {@code request} at {@code now}, or empty when it would answer it. */
  public static Optional<Refusal> refusal(QueryRequest request, Account account, Instant now) {
    Optional<Refusal> operation = QueryActions.refusal(request, VERSION, ACTIONS);
    if (operation.isPresent()) {
      return operation;
    }
    boolean web = WEB_IDENTITY.equals(request.param("Action"));
    if (!web) {
      Optional<Refusal> unsigned = SigV4.check(request, "sts", SigV4.ANY_REGION);
      if (unsigned.isPresent()) {
        return unsigned;
      }
    }
    String duration = request.param("DurationSeconds");
    if (duration != null && parse(duration).isEmpty()) {
      return Optional.of(
          Refusal.sender(400, "MalformedInput", "DurationSeconds is not an integer: " + duration));
    }
    List<String> problems = members(request, web);
    if (!problems.isEmpty()) {
      return Optional.of(Refusal.validation(problems));
    }
    return role(request, account)
        .or(() -> policy(request))
        .or(() -> web ? token(request, account, now) : Optional.empty());
  }

  /**
   * Why STS would refuse a {@code GetCallerIdentity} at {@code now}, or who signed it. The call is
   * signed ({@link SigV4}) and takes no parameters. A long-term key ({@code AKIA…}, no session
   * token) is stint's own, the home account's user ({@link SigningKeys#HOME_USER}); any other key
   * must be one STS issued ({@code sessions} finds those), presented with that key's session token
   * ({@code InvalidClientTokenId} otherwise) and not past its expiration ({@code ExpiredToken}).
   */
  public static Caller caller(
      QueryRequest request,
      Function<String, Optional<StsDocuments.Session>> sessions,
      Instant now) {
    Optional<Refusal> refused =
        QueryActions.refusal(request, VERSION, Set.of(CALLER_IDENTITY))
            .or(() -> SigV4.check(request, "sts", SigV4.ANY_REGION));
    if (refused.isPresent()) {
      return new Caller(null, refused.get());
    }
    String key = SigV4.accessKeyId(request);
    Optional<StsDocuments.Session> session = sessions.apply(key);
    if (session.isEmpty() && !key.startsWith("ASIA") && SigV4.securityToken(request) == null) {
      return new Caller(StsDocuments.HOME_USER, null);
    }
    if (session.isEmpty()
        || !session.get().credentials().sessionToken().equals(SigV4.securityToken(request))) {
      return new Caller(
          null,
          Refusal.sender(
              403,
              "InvalidClientTokenId",
              "The security token included in the request is invalid."));
    }
    if (!now.isBefore(session.get().credentials().expiration())) {
      return new Caller(
          null,
          Refusal.sender(
              403, "ExpiredToken", "The security token included in the request is expired"));
    }
    return new Caller(session.get().role(), null);
  }

  /** Whom a {@code GetCallerIdentity} was signed as, or why STS refuses it. */
  public record Caller(StsDocuments.Identity identity, Refusal refusal) {}

  /** The session's length in seconds: {@code DurationSeconds}, or one hour. */
  public static int seconds(QueryRequest request) {
    String duration = request.param("DurationSeconds");
    return duration == null ? DEFAULT_SECONDS : parse(duration).orElse(DEFAULT_SECONDS);
  }

  private static List<String> members(QueryRequest request, boolean web) {
    List<String> out = new ArrayList<>(ROLE_ARN.required(request.param("RoleArn")));
    out.addAll(SESSION_NAME.required(request.param("RoleSessionName")));
    out.addAll(POLICY.optional(request.param("Policy")));
    for (int i = 1; request.param("PolicyArns.member." + i + ".arn") != null; i++) {
      out.addAll(
          new Member("policyArns." + i + ".member.arn", 20, 2048, null)
              .required(request.param("PolicyArns.member." + i + ".arn")));
    }
    String duration = request.param("DurationSeconds");
    if (duration != null) {
      int seconds = parse(duration).getAsInt();
      if (seconds < MIN_SECONDS) {
        out.add(
            Member.at(duration, "durationSeconds")
                + "Member must have value greater than or equal to "
                + MIN_SECONDS);
      } else if (seconds > MAX_SECONDS) {
        out.add(
            Member.at(duration, "durationSeconds")
                + "Member must have value less than or equal to "
                + MAX_SECONDS);
      }
    }
    if (web) {
      out.addAll(TOKEN.required(request.param("WebIdentityToken")));
    } else {
      out.addAll(SOURCE_IDENTITY.optional(request.param("SourceIdentity")));
      out.addAll(SessionTags.problems(SessionTags.fromParams(request)));
      out.addAll(awsPrefixed(request.param("SourceIdentity")));
    }
    return out;
  }

  private static Optional<Refusal> role(QueryRequest request, Account account) {
    String arn = request.param("RoleArn");
    if (!IAM_ROLE.matcher(arn).matches()) {
      return Optional.of(Refusal.sender(400, "ValidationError", arn + " is invalid"));
    }
    Integer max = account.maxSeconds().get(arn);
    if (max != null && seconds(request) > max) {
      return Optional.of(
          Refusal.sender(
              400,
              "ValidationError",
              "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."));
    }
    return Optional.empty();
  }

  private static Optional<Refusal> policy(QueryRequest request) {
    String policy = request.param("Policy");
    if (policy != null) {
      Optional<String> malformed = PolicyGrammar.malformed(policy);
      if (malformed.isPresent()) {
        return Optional.of(Refusal.sender(400, "MalformedPolicyDocument", malformed.get()));
      }
    }
    int percent = PackedPolicy.percent(request).orElse(0);
    if (PackedPolicy.plaintext(request) > PackedPolicy.MAX_CHARS) {
      return Optional.of(
          Refusal.sender(
              400,
              "PackedPolicyTooLarge",
              "Packed policy consumes "
                  + percent
                  + "% of allotted space, please use smaller policy."));
    }
    return Optional.empty();
  }

  private static Optional<Refusal> token(QueryRequest request, Account account, Instant now) {
    WebIdentityTokens.Checked checked =
        WebIdentityTokens.check(request.param("WebIdentityToken"), account.providers(), now);
    if (checked.refusal() != null) {
      return Optional.of(checked.refusal());
    }
    List<String> problems = claimProblems(checked.claims());
    return problems.isEmpty() ? Optional.empty() : Optional.of(Refusal.validation(problems));
  }

  /** The source identity and session tags a token carries, held to the parameters' rules. */
  private static List<String> claimProblems(JWTClaimsSet claims) {
    List<String> out = new ArrayList<>();
    try {
      String source = claims.getStringClaim(StsDocuments.SOURCE_IDENTITY_CLAIM);
      out.addAll(SOURCE_IDENTITY.optional(source));
      out.addAll(awsPrefixed(source));
      Map<String, Object> tags = claims.getJSONObjectClaim(StsDocuments.TAGS_CLAIM);
      Object principal = tags == null ? null : tags.get("principal_tags");
      List<Map.Entry<String, String>> pairs = new ArrayList<>();
      if (principal instanceof Map<?, ?> map) {
        map.forEach(
            (k, v) ->
                pairs.add(
                    new SimpleImmutableEntry<>(
                        String.valueOf(k),
                        v instanceof List<?> l && !l.isEmpty() ? String.valueOf(l.get(0)) : null)));
      }
      out.addAll(SessionTags.problems(pairs));
    } catch (ParseException e) {
      out.add("The session tags or source identity in the web identity token are not valid.");
    }
    return out;
  }

  private static List<String> awsPrefixed(String source) {
    return source != null && source.toLowerCase(Locale.ROOT).startsWith("aws:")
        ? List.of(Member.at(source, "sourceIdentity") + "Member must not start with 'aws:'")
        : List.of();
  }

  private static OptionalInt parse(String integer) {
    try {
      return OptionalInt.of(Integer.parseInt(integer));
    } catch (NumberFormatException e) {
      return OptionalInt.empty();
    }
  }
}
