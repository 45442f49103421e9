package dev.stint.standin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One event as CloudTrail records it: who called (the access key, and the role session with its
 * source identity when the key is a session's), what ({@code eventSource}, {@code eventName}, the
 * request's parameters), where ({@code awsRegion}, {@code sourceIPAddress}), when (to the second,
 * as CloudTrail records it) and whether it failed ({@code errorCode}); a management event, or a
 * data event ({@link Builder#data}: an S3 object read, which only a trail logs, with the resources
 * it touched). Built with {@link #builder}; a stand-in answers lookups with {@link #lookupEvent}
 * and {@link #record}.
 */
public record CloudTrailEvent(
    String eventId,
    Instant eventTime,
    String eventSource,
    String eventName,
    String awsRegion,
    String accessKeyId,
    String sourceIpAddress,
    String errorCode,
    boolean readOnly,
    Session session,
    String iamUser,
    String roleArn,
    List<Resource> resources,
    String mintedKey,
    boolean data,
    Map<String, String> parameters,
    String userAgent) {

  /** The role session a temporary key belongs to, as {@code userIdentity.sessionContext}. */
  public record Session(String roleName, String sessionName, String sourceIdentity) {}

  /**
   * A resource the event refers to, as lookups list it; a data event's record names it by its ARN
   * (a listing's objects by their prefix, {@code ARNPrefix}), the bucket with its owner's account.
   */
  public record Resource(String type, String name) {}

  public CloudTrailEvent {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(eventTime, "eventTime");
    Objects.requireNonNull(eventSource, "eventSource");
    Objects.requireNonNull(eventName, "eventName");
    Objects.requireNonNull(awsRegion, "awsRegion");
    Objects.requireNonNull(accessKeyId, "accessKeyId");
    eventTime = eventTime.truncatedTo(ChronoUnit.SECONDS);
    resources = List.copyOf(resources);
    parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    Objects.requireNonNull(userAgent, "userAgent");
  }

  /** An event of {@code eventSource} (e.g. {@code s3.amazonaws.com}) named {@code eventName}. */
  public static Builder builder(String eventSource, String eventName) {
    return new Builder(eventSource, eventName);
  }

  /**
   * The name lookups match {@code Username} against: the role session's name for a session's key,
   * else the IAM user's.
   */
  public String username() {
    return session != null ? session.sessionName() : iamUser;
  }

  /** Whether the event has {@code value} for the lookup attribute {@code key}. */
  public boolean has(String key, String value) {
    return switch (key) {
      case "EventId" -> eventId.equals(value);
      case "EventName" -> eventName.equals(value);
      case "EventSource" -> eventSource.equals(value);
      case "AccessKeyId" -> accessKeyId.equals(value);
      case "Username" -> value.equals(username());
      case "ReadOnly" -> String.valueOf(readOnly).equals(value);
      case "ResourceName" -> resources.stream().anyMatch(r -> r.name().equals(value));
      case "ResourceType" -> resources.stream().anyMatch(r -> r.type().equals(value));
      default -> false;
    };
  }

  /** The event as {@code LookupEvents} returns it, in the account {@code account}. */
  public JsonObject lookupEvent(String account) {
    JsonArray listed = new JsonArray();
    resources.forEach(
        r ->
            listed.add(
                new JsonObject().put("ResourceType", r.type()).put("ResourceName", r.name())));
    JsonObject event =
        new JsonObject()
            .put("EventId", eventId)
            .put("EventName", eventName)
            .put("ReadOnly", String.valueOf(readOnly))
            .put("AccessKeyId", accessKeyId)
            .put("EventTime", eventTime.getEpochSecond())
            .put("EventSource", eventSource)
            .put("Resources", listed)
            .put("CloudTrailEvent", record(account).encode());
    if (username() != null) {
      event.put("Username", username());
    }
    return event;
  }

  /**
   * For a role assumption that succeeded, the session it created, as CloudTrail shows it: the new
   * access key id (never the secret or the token).
   */
  private JsonObject responseElements() {
    if (mintedKey == null || errorCode != null) {
      return null;
    }
    return new JsonObject()
        .put(
            "credentials",
            new JsonObject()
                .put("accessKeyId", mintedKey)
                .put("expiration", eventTime.plusSeconds(3600).toString()));
  }

  /**
   * The full record, as CloudTrail delivers it (to a trail, and to EventBridge as an event's {@code
   * detail}) and lookups quote it in {@code CloudTrailEvent}.
   */
  public JsonObject record(String account) {
    JsonObject record =
        new JsonObject()
            .put("eventVersion", "1.11")
            .put("userIdentity", userIdentity(account))
            .put("eventTime", eventTime.toString())
            .put("eventSource", eventSource)
            .put("eventName", eventName)
            .put("awsRegion", awsRegion)
            .put("sourceIPAddress", sourceIpAddress)
            .put("userAgent", userAgent);
    if (errorCode != null) {
      record.put("errorCode", errorCode);
      if (data) {
        // As S3 words a refusal in its record.
        record.put("errorMessage", "AccessDenied".equals(errorCode) ? "Access Denied" : errorCode);
      }
    }
    record
        .put("requestParameters", requestParameters())
        .put("responseElements", responseElements());
    if (data) {
      record.put(
          "additionalEventData",
          new JsonObject()
              .put("SignatureVersion", "SigV4")
              .put("AuthenticationMethod", "AuthHeader")
              .put("bytesTransferredIn", 0));
    }
    record
        .put(
            "requestID",
            UUID.nameUUIDFromBytes(eventId.getBytes(StandardCharsets.UTF_8)).toString())
        .put("eventID", eventId)
        .put("readOnly", readOnly);
    if (data) {
      record.put("resources", dataResources(account));
    }
    return record
        .put("eventType", "AwsApiCall")
        .put("managementEvent", !data)
        .put("recipientAccountId", account)
        .put("eventCategory", data ? "Data" : "Management");
  }

  /** The request's parameters: the role an assumption names, or the ones given the builder. */
  private JsonObject requestParameters() {
    if (roleArn == null && parameters.isEmpty()) {
      return null;
    }
    JsonObject out = new JsonObject();
    parameters.forEach(out::put);
    return roleArn == null ? out : out.put("roleArn", roleArn);
  }

  /**
   * A data event's resources as its record lists them: an object by its ARN, a listing's objects by
   * their prefix ({@code ARNPrefix}), the bucket with its owner's account.
   */
  private JsonArray dataResources(String account) {
    JsonArray out = new JsonArray();
    for (Resource r : resources) {
      JsonObject listed = new JsonObject();
      if (r.type().equals("AWS::S3::Bucket")) {
        listed.put("accountId", account);
      }
      listed.put("type", r.type());
      boolean prefix = r.type().equals("AWS::S3::Object") && eventName.startsWith("List");
      listed.put(prefix ? "ARNPrefix" : "ARN", r.name());
      out.add(listed);
    }
    return out;
  }

  private JsonObject userIdentity(String account) {
    if (session == null) {
      String name = iamUser == null ? "unknown" : iamUser;
      return new JsonObject()
          .put("type", "IAMUser")
          .put("principalId", "AIDA" + name.toUpperCase(Locale.ROOT))
          .put("arn", "arn:aws:iam::" + account + ":user/" + name)
          .put("accountId", account)
          .put("accessKeyId", accessKeyId)
          .put("userName", name);
    }
    String role = "arn:aws:iam::" + account + ":role/" + session.roleName();
    JsonObject context =
        new JsonObject()
            .put(
                "sessionIssuer",
                new JsonObject()
                    .put("type", "Role")
                    .put("arn", role)
                    .put("accountId", account)
                    .put("userName", session.roleName()))
            .put("attributes", new JsonObject().put("mfaAuthenticated", "false"));
    if (session.sourceIdentity() != null) {
      context.put("sourceIdentity", session.sourceIdentity());
    }
    return new JsonObject()
        .put("type", "AssumedRole")
        .put(
            "arn",
            "arn:aws:sts::"
                + account
                + ":assumed-role/"
                + session.roleName()
                + "/"
                + session.sessionName())
        .put("accountId", account)
        .put("accessKeyId", accessKeyId)
        .put("sessionContext", context);
  }

  /** An event put together field by field; the source, name, region, key and time are required. */
  public static final class Builder {
    private final String eventSource;
    private final String eventName;
    private String eventId = UUID.randomUUID().toString();
    private Instant eventTime;
    private String awsRegion;
    private String accessKeyId;
    private String sourceIpAddress = "198.51.100.7";
    private String errorCode;
    private boolean readOnly;
    private Session session;
    private String iamUser;
    private String roleArn;
    private String mintedKey;
    private boolean data;
    private String userAgent = "aws-sdk-java/2";
    private final Map<String, String> parameters = new LinkedHashMap<>();
    private final List<Resource> resources = new ArrayList<>();

    private Builder(String eventSource, String eventName) {
      this.eventSource = eventSource;
      this.eventName = eventName;
    }

    public Builder eventId(String id) {
      this.eventId = id;
      return this;
    }

    public Builder time(Instant time) {
      this.eventTime = time;
      return this;
    }

    public Builder region(String region) {
      this.awsRegion = region;
      return this;
    }

    public Builder accessKeyId(String key) {
      this.accessKeyId = key;
      return this;
    }

    public Builder sourceIp(String address) {
      this.sourceIpAddress = address;
      return this;
    }

    /** The call failed with {@code code} (e.g. {@code AccessDenied}). */
    public Builder errorCode(String code) {
      this.errorCode = code;
      return this;
    }

    public Builder readOnly(boolean readOnly) {
      this.readOnly = readOnly;
      return this;
    }

    /** The key is a session of {@code roleName}, named {@code sessionName}. */
    public Builder assumedRole(String roleName, String sessionName) {
      this.session =
          new Session(roleName, sessionName, session == null ? null : session.sourceIdentity());
      return this;
    }

    /** The role session's source identity; with {@link #assumedRole}. */
    public Builder sourceIdentity(String sourceIdentity) {
      if (session == null) {
        throw new IllegalStateException("a source identity belongs to a role session");
      }
      this.session = new Session(session.roleName(), session.sessionName(), sourceIdentity);
      return this;
    }

    /** The key is the IAM user {@code name}'s. */
    public Builder user(String name) {
      this.iamUser = name;
      return this;
    }

    /**
     * {@code requestParameters.roleArn}, as an {@code AssumeRole} records it; the role is listed
     * among the event's resources too.
     */
    public Builder roleArn(String arn) {
      this.roleArn = arn;
      return resource("AWS::IAM::Role", arn);
    }

    /** A role assumption's new session key ({@code responseElements.credentials.accessKeyId}). */
    public Builder minted(String key) {
      this.mintedKey = key;
      return this;
    }

    public Builder resource(String type, String name) {
      resources.add(new Resource(type, name));
      return this;
    }

    /**
     * A data event ({@code eventCategory} {@code Data}): one CloudTrail's event history never
     * holds, logged only by a trail whose selectors take it.
     */
    public Builder data() {
      this.data = true;
      return this;
    }

    /** One of the request's parameters, as the record's {@code requestParameters} holds it. */
    public Builder parameter(String name, String value) {
      parameters.put(name, value);
      return this;
    }

    /** The caller's {@code User-Agent}. */
    public Builder userAgent(String agent) {
      this.userAgent = agent;
      return this;
    }

    public CloudTrailEvent build() {
      return new CloudTrailEvent(
          eventId,
          eventTime,
          eventSource,
          eventName,
          awsRegion,
          accessKeyId,
          sourceIpAddress,
          errorCode,
          readOnly,
          session,
          iamUser,
          roleArn,
          resources,
          mintedKey,
          data,
          parameters,
          userAgent);
    }
  }
}
