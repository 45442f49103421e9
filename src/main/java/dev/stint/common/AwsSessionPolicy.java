package dev.stint.common;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * The one session-policy document an AWS session carries, and the managed policy ARNs sent with it.
 * A session policy only ever narrows: the session may do what both the role's policies and the
 * session policies allow. So the document always has
 *
 * <ol>
 *   <li>what the session may do: the profile's inline {@code aws.session_policy} statements when
 *       given; otherwise {@code Allow *} (the role decides) — except when only {@code
 *       aws.session_policy_arns} are given: AWS joins the inline document and the managed session
 *       policies into one set, so a broad Allow here would undo the narrowing the managed policies
 *       are there for;
 *   <li>a Deny of everything once {@code aws:CurrentTime} passes the grant's end (STS cannot issue
 *       sessions shorter than 15 minutes);
 *   <li>with {@code source_cidrs}, a Deny of everything from outside those networks, unless an AWS
 *       service makes the call on the caller's behalf ({@code aws:ViaAWSService}).
 * </ol>
 *
 * @param narrowing the inline statements as a compact JSON array, validated at load
 */
public record AwsSessionPolicy(
    SourceNetworks sources, Optional<String> narrowing, List<String> policyArns) {
  /** STS's limit on the plain-text inline session policy; see {@link #packedChars}. */
  public static final int MAX_CHARS = 2048;

  public static final AwsSessionPolicy NONE =
      new AwsSessionPolicy(SourceNetworks.ANY, Optional.empty(), List.of());
  private static final String ALLOW_ALL =
      "{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}";

  public AwsSessionPolicy {
    policyArns = List.copyOf(policyArns);
  }

  /** Compact JSON (AWS counts the characters); the time is whole seconds in UTC. */
  public String document(Instant grantEndsAt) {
    StringBuilder s = new StringBuilder("{\"Version\":\"2012-10-17\",\"Statement\":[");
    if (narrowing.isPresent()) {
      String array = narrowing.get();
      s.append(array, 1, array.length() - 1).append(',');
    } else if (policyArns.isEmpty()) {
      s.append(ALLOW_ALL).append(',');
    }
    s.append(
            "{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":"
                + "{\"DateGreaterThan\":{\"aws:CurrentTime\":\"")
        .append(grantEndsAt.truncatedTo(ChronoUnit.SECONDS))
        .append("\"}}}");
    if (sources.restricted()) {
      s.append(
          ",{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":"
              + "{\"NotIpAddress\":{\"aws:SourceIp\":[");
      s.append(String.join(",", sources.cidrs().stream().map(c -> "\"" + c + "\"").toList()));
      s.append("]},\"Bool\":{\"aws:ViaAWSService\":\"false\"}}}");
    }
    return s.append("]}").toString();
  }

  /**
   * A conservative stand-in for AWS's packed size: the document's characters plus the ARNs'. AWS
   * compresses both (with the session tags) into a binary form whose limit it does not publish as a
   * number; staying within 2048 plain characters for all of them keeps well clear of it. The
   * timestamp always has the same length, so the size is known at load.
   */
  public int packedChars() {
    return document(Instant.EPOCH).length() + policyArns.stream().mapToInt(String::length).sum();
  }
}
