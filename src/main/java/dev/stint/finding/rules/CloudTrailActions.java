package dev.stint.finding.rules;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * A CloudTrail record's {@code eventSource} and {@code eventName} as the IAM action the call needs
 * ({@code iam.amazonaws.com} + {@code CreateAccessKey} is {@code iam:CreateAccessKey}). Most
 * services log under their IAM prefix; those that do not are listed here (CloudWatch logs as {@code
 * monitoring.amazonaws.com}), from the Service Authorization Reference's prefixes. Some services
 * suffix their event names with the API's version (Lambda's {@code CreateFunction20150331}, {@code
 * UpdateFunctionConfiguration20150331v2}; CloudFront's {@code CreateDistribution2020_05_31}): the
 * suffix is not part of the action.
 */
public final class CloudTrailActions {
  private static final String AWS_DOMAIN = ".amazonaws.com";

  /** Event sources whose IAM prefix is not the first label of the source's host. */
  private static final Map<String, String> PREFIXES = Map.of("monitoring", "cloudwatch");

  private static final Pattern VERSION =
      Pattern.compile("(?:\\d{8}(?:v\\d+)?|\\d{4}_\\d{2}_\\d{2})$");

  private CloudTrailActions() {}

  /**
   * The service of {@code eventSource}: its IAM prefix for AWS ({@code ec2}), the source as it is
   * for any other cloud's log (an Azure resource provider, {@code Microsoft.Compute}).
   */
  public static String service(String eventSource) {
    if (!eventSource.endsWith(AWS_DOMAIN)) {
      return eventSource;
    }
    String host = eventSource.substring(0, eventSource.length() - AWS_DOMAIN.length());
    return PREFIXES.getOrDefault(host, host);
  }

  /** The IAM action of a call: {@code service:Name}, the name without a version suffix. */
  public static String action(String eventSource, String eventName) {
    return service(eventSource) + ":" + withoutVersion(eventName);
  }

  /** Every call judged asks this: only a name ending in a digit can carry a version suffix. */
  private static String withoutVersion(String eventName) {
    return eventName.isEmpty() || !isAsciiDigit(eventName.charAt(eventName.length() - 1))
        ? eventName
        : VERSION.matcher(eventName).replaceFirst("");
  }

  private static boolean isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
