package dev.stint.standin;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A local IAM Identity Center identity store (the {@code AWSIdentityStore} JSON 1.1 target): its
 * users, found by {@code GetUserId} with the unique attribute {@code userName}, by {@code
 * ListUsers} with the one filter the API takes ({@code UserName}) and by {@code DescribeUser}. Like
 * the directory it matches a user name without regard to ASCII case. It refuses as the API
 * reference says: an unsigned or mis-scoped call, another operation ({@code
 * UnknownOperationException}), a malformed store id or missing field ({@code ValidationException}),
 * an unknown store or user ({@code ResourceNotFoundException} with its {@code ResourceType}), and
 * the failures a test asks for next ({@link #failNext}: {@code ThrottlingException}, {@code
 * AccessDeniedException}).
 */
public final class IdentityStoreStandIn implements AutoCloseable {
  public static final String SERVICE = "identitystore";
  public static final String PREFIX = "AWSIdentityStore.";

  /** The identity store id's form in the API reference. */
  static final Pattern STORE_ID =
      Pattern.compile(
          "d-[0-9a-f]{10}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  /** One user: the store's id for it and its user name as written. */
  public record User(String userId, String userName) {}

  private final String storeId;
  private final Map<String, User> users = new ConcurrentHashMap<>();
  private final Deque<Refusal> failures = new ArrayDeque<>();
  private final JsonServer server;

  /** A store of id {@code storeId} ({@code d-0123456789}), with no users yet. */
  public IdentityStoreStandIn(String storeId) {
    if (!STORE_ID.matcher(storeId).matches()) {
      throw new IllegalArgumentException("not an identity store id: " + storeId);
    }
    this.storeId = storeId;
    this.server = new JsonServer(call -> CompletableFuture.completedFuture(answer(call)));
  }

  public URI uri() {
    return server.uri();
  }

  public String storeId() {
    return storeId;
  }

  /** Adds a user named {@code userName}; its id is the store's, a GUID. */
  public User addUser(String userName) {
    User user = new User(UUID.randomUUID().toString(), userName);
    users.put(user.userId(), user);
    return user;
  }

  /** The user named {@code userName}, ASCII case aside, as the directory matches names. */
  public Optional<User> userNamed(String userName) {
    return named(userName);
  }

  /** Whether the store holds a user of id {@code userId}. */
  public boolean has(String userId) {
    return users.containsKey(userId);
  }

  /** The next call is refused with {@code code} (a throttle or a refusal of stint's rights). */
  public synchronized IdentityStoreStandIn failNext(String code) {
    failures.add(
        switch (code) {
          case "ThrottlingException" -> Refusal.sender(400, code, "Rate exceeded");
          case "AccessDeniedException" ->
              Refusal.sender(403, code, "User is not authorized to perform this action");
          default -> throw new IllegalArgumentException("no such failure: " + code);
        });
    return this;
  }

  private StandInReply answer(JsonServer.Call call) {
    String target = call.request().header("X-Amz-Target");
    if (!"POST".equals(call.request().method()) || target == null || !target.startsWith(PREFIX)) {
      return JsonServer.error(Refusal.sender(400, "UnknownOperationException", null));
    }
    Optional<Refusal> unsigned = SigV4.check(call.request(), SERVICE, SigV4.ANY_REGION);
    if (unsigned.isPresent()) {
      return JsonServer.error(JsonRefusals.inJson(unsigned.get()));
    }
    Refusal failure = nextFailure();
    if (failure != null) {
      return JsonServer.error(failure);
    }
    JsonObject body;
    try {
      body = new JsonObject(call.body());
    } catch (DecodeException | ClassCastException e) {
      return JsonServer.error(Refusal.sender(400, "SerializationException", null));
    }
    String store = body.getString("IdentityStoreId");
    if (store == null || !STORE_ID.matcher(store).matches()) {
      return JsonRefusals.validation("IdentityStoreId", store);
    }
    if (!store.equals(storeId)) {
      return JsonRefusals.notFound("IDENTITY_STORE", store);
    }
    return switch (target.substring(PREFIX.length())) {
      case "GetUserId" -> getUserId(body);
      case "ListUsers" -> listUsers(body);
      case "DescribeUser" -> describeUser(body);
      default -> JsonServer.error(Refusal.sender(400, "UnknownOperationException", null));
    };
  }

  private StandInReply getUserId(JsonObject body) {
    JsonObject unique =
        Optional.ofNullable(body.getJsonObject("AlternateIdentifier"))
            .map(a -> a.getJsonObject("UniqueAttribute"))
            .orElse(null);
    if (unique == null
        || !"userName".equals(unique.getString("AttributePath"))
        || !(unique.getValue("AttributeValue") instanceof String name)) {
      return JsonRefusals.validation("AlternateIdentifier", null);
    }
    return named(name)
        .map(
            u ->
                JsonServer.json(
                    new JsonObject()
                        .put("IdentityStoreId", storeId)
                        .put("UserId", u.userId())
                        .encode()))
        .orElseGet(() -> JsonRefusals.notFound("USER", null));
  }

  private StandInReply listUsers(JsonObject body) {
    JsonArray filters = body.getJsonArray("Filters", new JsonArray());
    if (filters.size() > 1) {
      return JsonRefusals.validation("Filters", null);
    }
    List<User> found;
    if (filters.isEmpty()) {
      found = List.copyOf(users.values());
    } else {
      JsonObject filter = filters.getJsonObject(0);
      if (!"UserName".equals(filter.getString("AttributePath"))
          || filter.getString("AttributeValue") == null) {
        return JsonRefusals.validation("Filters", null);
      }
      found = named(filter.getString("AttributeValue")).stream().toList();
    }
    JsonArray out = new JsonArray();
    found.forEach(u -> out.add(user(u)));
    return JsonServer.json(new JsonObject().put("Users", out).encode());
  }

  private StandInReply describeUser(JsonObject body) {
    String id = body.getString("UserId");
    if (id == null) {
      return JsonRefusals.validation("UserId", null);
    }
    User user = users.get(id);
    return user == null ? JsonRefusals.notFound("USER", id) : JsonServer.json(user(user).encode());
  }

  private JsonObject user(User u) {
    return new JsonObject()
        .put("IdentityStoreId", storeId)
        .put("UserId", u.userId())
        .put("UserName", u.userName())
        .put("DisplayName", u.userName());
  }

  /** The user named {@code name}, compared as the directory does: ASCII case aside. */
  private Optional<User> named(String name) {
    return users.values().stream()
        .filter(u -> asciiLower(u.userName()).equals(asciiLower(name)))
        .findFirst();
  }

  static String asciiLower(String s) {
    StringBuilder out = new StringBuilder(s.length());
    s.chars().forEach(c -> out.append((char) (c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c)));
    return out.toString();
  }

  private synchronized Refusal nextFailure() {
    return failures.poll();
  }

  @Override
  public void close() {
    server.close();
  }
}
