package dev.stint.testing;

import dev.stint.standin.CloudTrailEvent;
import io.vertx.core.json.JsonObject;

/**
 * CloudTrail events as an EventBridge API destination posts them to {@code POST
 * /v1/ingest/cloudtrail}: the bus's envelope with the CloudTrail record as its {@code detail}.
 */
public final class EventBridgeDeliveries {
  private EventBridgeDeliveries() {}

  /** The body EventBridge delivers for {@code event}, recorded in {@code account}. */
  public static String of(CloudTrailEvent event, String account) {
    return new JsonObject()
        .put("version", "0")
        .put("detail-type", "AWS API Call via CloudTrail")
        .put("source", "aws." + event.eventSource().replace(".amazonaws.com", ""))
        .put("account", account)
        .put("detail", event.record(account))
        .encode();
  }
}
