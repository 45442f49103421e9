package dev.stint.standin;

import java.util.UUID;

/**
 * A stand-in's answer to one request, as its loopback server sends it: status, content type and
 * body; AWS's error documents, and the request id AWS puts in every answer.
 */
public record StandInReply(int status, String contentType, String body) {
  public static StandInReply xml(String body) {
    return new StandInReply(200, "text/xml", body);
  }

  /** AWS's error document for {@code refusal}, in the service's namespace. */
  public static StandInReply error(Refusal refusal, String namespace) {
    return new StandInReply(refusal.status(), "text/xml", refusal.xml(namespace, requestId()));
  }

  /** A fresh request id, as AWS puts in every answer. */
  public static String requestId() {
    return UUID.randomUUID().toString();
  }
}
