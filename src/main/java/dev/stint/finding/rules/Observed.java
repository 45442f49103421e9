package dev.stint.finding.rules;

import dev.stint.common.IpLiterals;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One kept call as the rules read it: the log's id for it, when, which service and operation,
 * where, from which address, the error the cloud answered, and what its request's parameters said
 * (the role it named for a service; whether it asked for a decrypted value).
 */
public record Observed(
    String eventId,
    Instant time,
    String source,
    String name,
    String region,
    Optional<String> sourceIp,
    Optional<String> errorCode,
    Optional<String> namedRole,
    boolean withDecryption) {

  public Observed {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(sourceIp, "sourceIp");
    Objects.requireNonNull(errorCode, "errorCode");
    Objects.requireNonNull(namedRole, "namedRole");
  }

  /** The IAM action it needed ({@link CloudTrailActions}). */
  public String action() {
    return CloudTrailActions.action(source, name);
  }

  /** Its service: the IAM prefix for AWS. */
  public String service() {
    return CloudTrailActions.service(source);
  }

  /**
   * Whether the cloud refused it for want of permission: CloudTrail's {@code AccessDenied…} and
   * {@code …UnauthorizedOperation} (the CIS AWS Foundations Benchmark's metric filter for
   * unauthorized API calls), and the Activity Log's {@code AuthorizationFailed} and {@code
   * Forbidden}.
   */
  public boolean refused() {
    return errorCode
        .filter(
            e ->
                e.startsWith("AccessDenied")
                    || e.endsWith("UnauthorizedOperation")
                    || e.equals("AuthorizationFailed")
                    || e.equals("Forbidden"))
        .isPresent();
  }

  /** Whether it succeeded: the log records no error. */
  public boolean succeeded() {
    return errorCode.isEmpty();
  }

  /**
   * The network it came from: the {@code /24} of an IPv4 address, the {@code /48} of an IPv6 one
   * (an office or a home keeps its prefix while its addresses move). Empty when the source is not
   * an address: an AWS service calling on the caller's behalf ({@code ec2.amazonaws.com}, {@code
   * AWS Internal}), or none given.
   */
  public Optional<String> network() {
    return sourceIp.flatMap(IpLiterals::parse).map(Observed::prefix);
  }

  /** Whether an AWS service made it on the caller's behalf: its source is no address. */
  public boolean byService() {
    return sourceIp.isPresent() && network().isEmpty();
  }

  /** The call as a finding lists it. */
  public EventRef ref() {
    return new EventRef(eventId, name, source, time);
  }

  private static String prefix(InetAddress a) {
    byte[] b = a.getAddress();
    int bits = a instanceof Inet4Address ? 24 : 48;
    byte[] masked = new byte[b.length];
    System.arraycopy(b, 0, masked, 0, bits / 8);
    try {
      return InetAddress.getByAddress(masked).getHostAddress() + "/" + bits;
    } catch (UnknownHostException e) {
      throw new IllegalStateException("an address of a valid length", e);
    }
  }
}
