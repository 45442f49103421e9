package dev.stint.finding.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stint.mint.ActivityLookup;
import dev.stint.mint.aws.CloudTrailRecords;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The findings' fixtures ({@code src/test/resources/findings/RULE.json}): CloudTrail records as
 * CloudTrail writes them, each read by the server's own reader ({@link CloudTrailRecords}, as the
 * ingest reads a delivery), then as the judging reads a kept call. A case may repeat its record
 * ({@code repeat} times, {@code every_seconds} apart), each a call of its own.
 */
public final class FindingFixtures {
  static final ObjectMapper JSON = new ObjectMapper();

  /** A person's credential on profile {@code prod}, of grant {@code grt_1}. */
  public static final Origin ALICE =
      new Origin(
          "crd_1",
          "req_1",
          "grt_1",
          Optional.empty(),
          new Origin.Holder("https://idp.example", "alice"),
          "prod");

  /** One case of a fixture file: what it shows, its record, how often and how far apart. */
  public record Case(String note, JsonNode record, int repeat, Duration every) {
    @Override
    public String toString() {
      return note;
    }

    /** The case's calls, the first at {@code start}, each with an event id of its own. */
    public List<Observed> calls(Instant start) {
      List<Observed> out = new ArrayList<>();
      for (int i = 0; i < repeat; i++) {
        ObjectNode r = record.deepCopy();
        r.put("eventTime", start.plus(every.multipliedBy(i)).toString());
        if (repeat > 1) {
          r.put("eventID", record.path("eventID").asText() + "-" + i);
        }
        out.add(read(r));
      }
      return out;
    }
  }

  /** A rule's fixtures: the cases that must fire it, and the near misses that must not. */
  public record Rule(String rule, List<Case> fires, List<Case> nearMisses) {}

  private FindingFixtures() {}

  public static Rule of(String rule) {
    JsonNode file = resource("findings/" + rule + ".json");
    return new Rule(rule, cases(file.path("fires")), cases(file.path("near_misses")));
  }

  /** The records of a fixture file's list {@code key}, as they are. */
  public static List<JsonNode> records(String name, String key) {
    List<JsonNode> out = new ArrayList<>();
    resource("findings/" + name + ".json").path(key).forEach(out::add);
    return out;
  }

  /** {@code record} made at {@code at}, from {@code address}, as call {@code id}. */
  public static Observed at(JsonNode record, Instant at, String address, String id) {
    ObjectNode r = record.deepCopy();
    r.put("eventTime", at.toString());
    r.put("eventID", id);
    if (Character.isDigit(record.path("sourceIPAddress").asText(" ").charAt(0))) {
      r.put("sourceIPAddress", address);
    }
    return read(r);
  }

  /** {@code record} delivered as EventBridge delivers it, read by the ingest's reader. */
  public static Observed read(JsonNode record) {
    byte[] body =
        JSON.createObjectNode()
            .put("detail-type", "AWS API Call via CloudTrail")
            .set("detail", record)
            .toString()
            .getBytes(StandardCharsets.UTF_8);
    ActivityLookup.Call c =
        CloudTrailRecords.delivered(body)
            .orElseThrow(() -> new AssertionError("the reader refused " + record));
    return new Observed(
        c.id(),
        c.time(),
        c.source(),
        c.name(),
        c.region(),
        c.sourceIp(),
        c.errorCode(),
        c.parameters().namedRole(),
        c.parameters().withDecryption());
  }

  private static List<Case> cases(JsonNode list) {
    List<Case> out = new ArrayList<>();
    for (JsonNode c : list) {
      out.add(
          new Case(
              c.path("note").asText(),
              c.path("record"),
              c.path("repeat").asInt(1),
              Duration.ofSeconds(c.path("every_seconds").asLong(0))));
    }
    return out;
  }

  private static JsonNode resource(String path) {
    try (InputStream in = FindingFixtures.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new AssertionError("no fixture " + path);
      }
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new AssertionError(path, e);
    }
  }
}
