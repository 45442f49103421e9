package dev.stint.config;

import dev.stint.common.SecureUrls;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * One {@code audit.sinks} entry: where every audit event is delivered, in order, at least once,
 * with its own cursor. {@code token} (Splunk HEC) is held only in memory; {@link #toString()} hides
 * it and shows only the scheme, host, port and path of the URL.
 *
 * @param type {@code cloudevents}, {@code ocsf}, {@code splunk_hec} or {@code s3}
 * @param s3 the bucket and prefix for {@code s3}, with an optional endpoint and region
 * @param lagAlarm how far behind the head (in event age) the sink may fall before it alarms
 */
public record SinkConfig(
    String name,
    String type,
    Optional<URI> url,
    Optional<String> token,
    Optional<CheckpointConfig.S3> s3,
    Duration lagAlarm) {

  @Override
  public String toString() {
    return "SinkConfig[name="
        + name
        + ", type="
        + type
        + url.map(u -> ", url=" + SecureUrls.shown(u)).orElse("")
        + token.map(t -> ", token=***").orElse("")
        + s3.map(s -> ", s3=" + s.id()).orElse("")
        + ", lagAlarm="
        + lagAlarm
        + "]";
  }
}
