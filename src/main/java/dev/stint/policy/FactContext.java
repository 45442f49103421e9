package dev.stint.policy;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Who and what a decision's facts are about: the person decided about (the requester, or the voter
 * for an approver rule) and the request, when there is one. On-call facts read the person's email,
 * the ticket fact the request's ticket, and the server's own providers ({@code fact()}) are told
 * all of it, in the shape docs/policies.md gives ("Facts from your own systems").
 */
public record FactContext(Who who, Optional<Asked> request) {
  public FactContext {
    Objects.requireNonNull(who, "who");
    Objects.requireNonNull(request, "request");
  }

  /**
   * The person: the issuer's URL and the subject (who they are), the email only when it may be
   * matched (the identity provider verified it, at a decision), the groups when a token is at hand
   * (not for {@code end_when}).
   */
  public record Who(
      String issuer, String subject, Optional<String> email, Optional<List<String>> groups) {
    public Who {
      Objects.requireNonNull(issuer, "issuer");
      Objects.requireNonNull(subject, "subject");
      groups = groups.map(List::copyOf);
    }
  }

  /** The request: its id once it has one, and what was asked. */
  public record Asked(
      Optional<String> id,
      String profile,
      String reason,
      Optional<String> ticket,
      Duration duration) {}

  /** The request's ticket, when it names one. */
  public Optional<String> ticket() {
    return request.flatMap(Asked::ticket);
  }
}
