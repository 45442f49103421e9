package dev.stint.standin;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What CloudTrail refuses of a {@code LookupEvents}, in the order it meets it: the operation
 * ({@code X-Amz-Target}, the JSON protocol); the SigV4 signature, first its form ({@link SigV4},
 * scoped to {@code cloudtrail}) then the key ({@code UnrecognizedClientException} for a key it does
 * not know) and the signature itself ({@code InvalidSignatureException}); the body as JSON ({@code
 * SerializationException}); then the parameters, each with the operation's own error.
 *
 * <p>The parameters are the API reference's: at most one lookup attribute, whose key is one of
 * {@link #ATTRIBUTE_KEYS} and whose value is not empty and at most {@link #MAX_VALUE_CHARS} long,
 * {@code _}, space, comma and newline counting twice ({@code InvalidLookupAttributesException});
 * {@code MaxResults} from one to {@link #MAX_RESULTS}, which is also its default ({@code
 * InvalidMaxResultsException}); a start no later than the end ({@code InvalidTimeRangeException});
 * {@code EventCategory} only {@code insight} ({@code InvalidEventCategoryException}). The rate
 * limit and paging are {@link LookupRate}'s and {@link CloudTrailLookup}'s. The operation's errors
 * are client errors (Bad Request), as the SDK's model of the service has them; an unsigned call is
 * Forbidden, as AWS's common errors list {@code MissingAuthenticationToken}.
 */
public final class CloudTrailRules {
  public static final String SERVICE = "cloudtrail";
  public static final String LOOKUP_EVENTS =
      "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents";
  public static final int MAX_RESULTS = 50;

  /** How far back lookups reach: events older than this are no longer found. */
  public static final Duration LOOKBACK = Duration.ofDays(90);

  public static final int MAX_VALUE_CHARS = 2000;
  public static final Set<String> ATTRIBUTE_KEYS =
      Set.of(
          "EventId",
          "EventName",
          "ReadOnly",
          "Username",
          "ResourceType",
          "ResourceName",
          "EventSource",
          "AccessKeyId");

  private CloudTrailRules() {}

  /** A key CloudTrail knows: its secret, and the account it belongs to. */
  public record Credential(String accessKeyId, String secretAccessKey, String account) {}

  /** Whose call it is (the key's account, the scope's region), or why it is refused. */
  public record Signer(String account, String region, Refusal refusal) {
    static Signer refused(Refusal refusal) {
      return new Signer(null, null, refusal);
    }
  }

  /** A lookup's parameters, or why they are refused. */
  public record Parsed(CloudTrailLookup lookup, Refusal refusal) {
    static Parsed refused(String code, String message) {
      return new Parsed(null, Refusal.sender(400, code, message));
    }
  }

  /**
   * Who signed {@code call}, when it asks for {@code LookupEvents} and is signed with a key {@code
   * credentials} knows, with that key's secret; else why CloudTrail refuses it.
   */
  public static Signer signer(
      JsonServer.Call call, Function<String, Optional<Credential>> credentials) {
    QueryRequest request = call.request();
    if (!"POST".equals(request.method()) || !LOOKUP_EVENTS.equals(request.header("X-Amz-Target"))) {
      return Signer.refused(Refusal.sender(400, "UnknownOperationException", null));
    }
    Optional<Refusal> form = SigV4.check(request, SERVICE, SigV4.ANY_REGION);
    if (form.isPresent()) {
      return Signer.refused(inJson(form.get()));
    }
    Optional<Credential> key = credentials.apply(SigV4.accessKeyId(request));
    if (key.isEmpty()) {
      return Signer.refused(
          Refusal.sender(
              400,
              "UnrecognizedClientException",
              "The security token included in the request is invalid."));
    }
    if (!SigV4Signature.matches(request, call.body(), key.get().secretAccessKey())) {
      return Signer.refused(
          Refusal.sender(
              400,
              "InvalidSignatureException",
              "The request signature we calculated does not match the signature you provided."
                  + " Check your AWS Secret Access Key and signing method. Consult the service"
                  + " documentation for details."));
    }
    return new Signer(key.get().account(), SigV4.region(request), null);
  }

  /** The JSON protocol's names for the signature refusals {@link SigV4} states the query way. */
  private static Refusal inJson(Refusal refusal) {
    return switch (refusal.code()) {
      case "SignatureDoesNotMatch" ->
          Refusal.sender(400, "InvalidSignatureException", refusal.message());
      default -> Refusal.sender(refusal.status(), refusal.code() + "Exception", refusal.message());
    };
  }

  /** The lookup {@code body} asks for, or why CloudTrail refuses it. */
  public static Parsed lookup(String body) {
    JsonObject json;
    try {
      json = body == null || body.isBlank() ? new JsonObject() : new JsonObject(body);
      return parameters(json);
    } catch (DecodeException | ClassCastException e) {
      return Parsed.refused("SerializationException", null);
    }
  }

  private static Parsed parameters(JsonObject json) {
    JsonArray attributes = json.getJsonArray("LookupAttributes", new JsonArray());
    if (attributes.size() > 1) {
      return Parsed.refused(
          "InvalidLookupAttributesException", "You can specify only one lookup attribute.");
    }
    CloudTrailLookup.Attribute attribute = null;
    if (attributes.size() == 1) {
      JsonObject only = attributes.getJsonObject(0);
      String key = only.getString("AttributeKey");
      String value = only.getString("AttributeValue");
      Optional<String> wrong = attributeProblem(key, value);
      if (wrong.isPresent()) {
        return Parsed.refused("InvalidLookupAttributesException", wrong.get());
      }
      attribute = new CloudTrailLookup.Attribute(key, value);
    }
    Number max = json.getNumber("MaxResults");
    if (max != null && (max.intValue() < 1 || max.intValue() > MAX_RESULTS)) {
      return Parsed.refused(
          "InvalidMaxResultsException",
          "MaxResults must be between 1 and " + MAX_RESULTS + ": " + max);
    }
    Instant start = time(json.getNumber("StartTime"));
    Instant end = time(json.getNumber("EndTime"));
    if (start != null && end != null && start.isAfter(end)) {
      return Parsed.refused("InvalidTimeRangeException", "StartTime is after EndTime.");
    }
    String category = json.getString("EventCategory");
    if (category != null && !category.equals("insight")) {
      return Parsed.refused(
          "InvalidEventCategoryException", "EventCategory is not valid: " + category);
    }
    return new Parsed(
        new CloudTrailLookup(
            attribute,
            start,
            end,
            category,
            max == null ? MAX_RESULTS : max.intValue(),
            json.getString("NextToken")),
        null);
  }

  private static Optional<String> attributeProblem(String key, String value) {
    if (key == null || !ATTRIBUTE_KEYS.contains(key)) {
      return Optional.of("The lookup attribute key is not valid: " + key);
    }
    if (value == null || value.isEmpty() || counted(value) > MAX_VALUE_CHARS) {
      return Optional.of(
          "The lookup attribute value must be 1 to " + MAX_VALUE_CHARS + " characters long.");
    }
    if (key.equals("ReadOnly") && !value.equals("true") && !value.equals("false")) {
      return Optional.of("The ReadOnly lookup attribute is true or false, not: " + value);
    }
    return Optional.empty();
  }

  /** A value's length as CloudTrail counts it: {@code _}, space, comma and newline twice. */
  static int counted(String value) {
    int n = value.length();
    for (char c : value.toCharArray()) {
      if (c == '_' || c == ' ' || c == ',' || c == '\n') {
        n++;
      }
    }
    return n;
  }

  /** A timestamp as the JSON protocol sends it: epoch seconds, perhaps with a fraction. */
  private static Instant time(Number seconds) {
    if (seconds == null) {
      return null;
    }
    BigDecimal exact = new BigDecimal(seconds.toString());
    return Instant.ofEpochSecond(
        exact.longValue(), exact.remainder(BigDecimal.ONE).movePointRight(9).longValue());
  }
}
