package dev.stint.standin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The Signature Version 4 checks every signed AWS call meets before anything else about it is
 * looked at: an {@code Authorization} header (or the {@code X-Amz-*} query parameters) naming the
 * algorithm, the credential, the signed headers and a signature; a request date; and a credential
 * scope for the right service, a valid region, the request's day and the {@code aws4_request}
 * terminator. The words are AWS's.
 *
 * <p>A stand-in holds no one's secret key, so it cannot recompute the signature itself: a
 * well-formed signature for the right scope passes.
 */
public final class SigV4 {
  /** A region of AWS's form: {@code us-east-1}, {@code us-gov-west-1}; not {@code aws-global}. */
  public static final Predicate<String> ANY_REGION =
      Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}").asMatchPredicate();

  private static final String ALGORITHM = "AWS4-HMAC-SHA256";
  private static final Pattern BASIC_DATE_TIME = Pattern.compile("\\d{8}T\\d{6}Z");
  private static final Pattern SIGNATURE = Pattern.compile("[0-9a-f]{64}");
  private static final String MISMATCH =
      "The request signature we calculated does not match the signature you provided. Check your"
          + " AWS Secret Access Key and signing method. Consult the service documentation for"
          + " details.";

  private SigV4() {}

  /** The parts of a signature, or why they are incomplete. */
  private record Material(String credential, String signature, String date, Refusal refusal) {
    static Material refused(Refusal refusal) {
      return new Material(null, null, null, refusal);
    }
  }

  /**
   * Why AWS would refuse {@code request} as unsigned or mis-signed for {@code service} (e.g. {@code
   * sts}), or empty when its signature is well formed and scoped.
   */
  public static Optional<Refusal> check(
      QueryRequest request, String service, Predicate<String> validRegion) {
    String authorization = request.header("Authorization");
    Material material =
        authorization != null
            ? fromHeader(authorization, request)
            : request.param("X-Amz-Algorithm") != null
                ? fromQuery(request)
                : Material.refused(
                    Refusal.sender(
                        403,
                        "MissingAuthenticationToken",
                        "Request is missing Authentication Token"));
    if (material.refusal() != null) {
      return Optional.of(material.refusal());
    }
    return scope(material, service, validRegion);
  }

  /**
   * The access key id a request that passed {@link #check} is signed with: the first element of its
   * credential scope.
   */
  public static String accessKeyId(QueryRequest request) {
    return credential(request).split("/")[0];
  }

  /** The region a request that passed {@link #check} is signed for: its credential scope's. */
  public static String region(QueryRequest request) {
    return credential(request).split("/")[2];
  }

  private static String credential(QueryRequest request) {
    String authorization = request.header("Authorization");
    return authorization == null
        ? request.param("X-Amz-Credential")
        : fromHeader(authorization, request).credential();
  }

  /** The session token signed with temporary credentials (header or query parameter), or null. */
  public static String securityToken(QueryRequest request) {
    String header = request.header("X-Amz-Security-Token");
    return header != null ? header : request.param("X-Amz-Security-Token");
  }

  private static Material fromHeader(String authorization, QueryRequest request) {
    String[] words = authorization.strip().split("\\s+", 2);
    if (!words[0].startsWith("AWS4-")) {
      return Material.refused(
          Refusal.sender(
              403, "MissingAuthenticationToken", "Request is missing Authentication Token"));
    }
    if (!words[0].equals(ALGORITHM)) {
      return Material.refused(incomplete("Unsupported AWS 'algorithm': '" + words[0] + "'"));
    }
    Map<String, String> parts = new LinkedHashMap<>();
    for (String part : (words.length > 1 ? words[1] : "").split(",")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        parts.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
      }
    }
    String date =
        request.header("X-Amz-Date") != null
            ? request.header("X-Amz-Date")
            : request.header("Date");
    List<String> missing = new ArrayList<>();
    for (String name : List.of("Credential", "Signature", "SignedHeaders")) {
      if (!parts.containsKey(name)) {
        missing.add("Authorization header requires '" + name + "' parameter.");
      }
    }
    if (date == null) {
      missing.add(
          "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
    }
    if (!missing.isEmpty()) {
      return Material.refused(
          incomplete(String.join(" ", missing) + " Authorization=" + authorization));
    }
    return new Material(
        parts.get("Credential"), parts.get("Signature"), request.header("X-Amz-Date"), null);
  }

  private static Material fromQuery(QueryRequest request) {
    List<String> missing = new ArrayList<>();
    for (String name :
        List.of("X-Amz-Credential", "X-Amz-Signature", "X-Amz-SignedHeaders", "X-Amz-Date")) {
      if (request.param(name) == null) {
        missing.add("AWS query-string parameters must include '" + name + "'.");
      }
    }
    if (!request.param("X-Amz-Algorithm").equals(ALGORITHM)) {
      return Material.refused(
          incomplete("Unsupported AWS 'algorithm': '" + request.param("X-Amz-Algorithm") + "'"));
    }
    if (!missing.isEmpty()) {
      return Material.refused(
          incomplete(String.join(" ", missing) + " Re-examine the query-string parameters."));
    }
    return new Material(
        request.param("X-Amz-Credential"),
        request.param("X-Amz-Signature"),
        request.param("X-Amz-Date"),
        null);
  }

  private static Optional<Refusal> scope(
      Material signed, String service, Predicate<String> validRegion) {
    String[] scope = signed.credential().split("/", -1);
    if (scope.length != 5) {
      return Optional.of(
          incomplete(
              "Credential must have exactly 5 slash-delimited elements, e.g."
                  + " keyid/date/region/service/term, got '"
                  + signed.credential()
                  + "'"));
    }
    if (signed.date() != null && !BASIC_DATE_TIME.matcher(signed.date()).matches()) {
      return Optional.of(
          incomplete(
              "Date must be in ISO-8601 'basic format'. Got '"
                  + signed.date()
                  + "'. See http://en.wikipedia.org/wiki/ISO_8601"));
    }
    List<String> wrong = new ArrayList<>();
    if (!validRegion.test(scope[2])) {
      wrong.add("Credential should be scoped to a valid region, not '" + scope[2] + "'.");
    }
    if (!scope[3].equals(service)) {
      wrong.add("Credential should be scoped to correct service: '" + service + "'.");
    }
    if (!scope[4].equals("aws4_request")) {
      wrong.add(
          "Credential should be scoped with a valid terminator: 'aws4_request', not '"
              + scope[4]
              + "'.");
    }
    if (signed.date() != null && !signed.date().startsWith(scope[1])) {
      wrong.add(
          "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from"
              + " HTTP: '"
              + scope[1]
              + "' != '"
              + signed.date().substring(0, 8)
              + "', from '"
              + signed.date()
              + "'.");
    }
    if (wrong.isEmpty() && !SIGNATURE.matcher(signed.signature()).matches()) {
      wrong.add(MISMATCH);
    }
    return wrong.isEmpty()
        ? Optional.empty()
        : Optional.of(Refusal.sender(403, "SignatureDoesNotMatch", String.join(" ", wrong)));
  }

  private static Refusal incomplete(String message) {
    return Refusal.sender(400, "IncompleteSignature", message);
  }
}
