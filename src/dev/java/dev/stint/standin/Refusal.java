package dev.stint.standin;

import java.util.List;

/**
 * One refusal as AWS answers it: the HTTP status, who is at fault ({@code Sender} or {@code
 * Receiver}), the error code the SDKs map to an exception, and the message.
 */
public record Refusal(int status, String type, String code, String message) {
  public static final String SENDER = "Sender";

  /** A refusal of the caller's request (every one a stand-in makes on its own). */
  public static Refusal sender(int status, String code, String message) {
    return new Refusal(status, SENDER, code, message);
  }

  /**
   * STS's and IAM's answer to parameters that break their API model: {@code ValidationError}, every
   * broken constraint counted and listed, as {@code "2 validation errors detected: …; …"}.
   */
  public static Refusal validation(List<String> problems) {
    int n = problems.size();
    return sender(
        400,
        "ValidationError",
        n
            + (n == 1 ? " validation error detected: " : " validation errors detected: ")
            + String.join("; ", problems));
  }

  /** The query-protocol error document, in the service's XML namespace. */
  public String xml(String namespace, String requestId) {
    return "<ErrorResponse xmlns=\""
        + namespace
        + "\"><Error><Type>"
        + type
        + "</Type><Code>"
        + code
        + "</Code><Message>"
        + Xml.escape(message)
        + "</Message></Error><RequestId>"
        + requestId
        + "</RequestId></ErrorResponse>";
  }
}
