package dev.stint.activity;

import java.time.Instant;
import java.util.Optional;

/** One call made with one of a request's credentials, as the cloud's log has it. */
public record ActivityEvent(
    String eventId,
    Instant time,
    String credentialId,
    Optional<String> accessKeyId,
    String eventSource,
    String eventName,
    String region,
    Optional<String> sourceIp,
    Optional<String> errorCode) {}
