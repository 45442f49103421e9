package dev.stint.standin;

import dev.stint.standin.RestServer.Reply;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The AWS access portal's credentials call, {@code GetRoleCredentials} (REST JSON and unsigned:
 * {@code GET /federation/credentials?role_name=…&account_id=…} with the user's access token in
 * {@code x-amz-sso_bearer_token}), as {@code aws sso get-role-credentials --endpoint-url} and the
 * sso profiles of {@code aws sso login} call it. For a user signed in to the portal it answers the
 * credentials of a session of the permission set's role provisioned in the account, named for the
 * user, so its {@code aws:userid} ends with the user name; only while an assignment gives the user
 * that permission set there, so a session taken before an assignment's deletion lives on, as on
 * AWS. It refuses as the portal does: no token or one it did not issue {@code
 * UnauthorizedException} (401), a missing parameter {@code InvalidRequestException} (400), and a
 * role the user is not assigned in that account {@code ForbiddenException} "No access" (403; the
 * API reference lists no such error, but the portal answers it so, as people's reports of {@code
 * aws sso} show).
 *
 * <p>Signing in to the portal ({@code aws sso login}, a device authorization in a browser) is not
 * stood in for: under {@link RestServer#CONTROLS}, a path the portal does not have, {@code
 * /demo/token?user=NAME} answers an access token for the identity store's user {@code NAME}, as
 * {@code aws sso login} would cache it after that user signed in, and {@code 404} for a name the
 * store does not hold.
 */
public final class PortalStandIn implements AutoCloseable {
  static final String PATH = "/federation/credentials";
  static final String TOKEN_HEADER = "x-amz-sso_bearer_token";

  /** How long a portal session lasts: the permission sets' session duration, one hour. */
  static final Duration SESSION = Duration.ofHours(1);

  /** The role of a permission set provisioned in an account, when the user is assigned it there. */
  @FunctionalInterface
  public interface Roles {
    /** The role's ARN, for the user of id {@code userId}; empty when not assigned. */
    Optional<String> assigned(String account, String permissionSetName, String userId);
  }

  /** Starts a session of a role named for the user, as STS does for the portal. */
  @FunctionalInterface
  public interface Sessions {
    StsDocuments.Credentials start(String roleArn, String sessionName, Duration lasts);
  }

  private final IdentityStoreStandIn store;
  private final Roles roles;
  private final Sessions sessions;
  private final Map<String, String> tokens = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private final RestServer server;

  public PortalStandIn(IdentityStoreStandIn store, Roles roles, Sessions sessions) {
    this.store = store;
    this.roles = roles;
    this.sessions = sessions;
    this.server = new RestServer(this::answer, PortalStandIn::throttled);
    server.openControls(this::control);
  }

  /** The portal API's base URL: what {@code --endpoint-url} names. */
  public URI uri() {
    return server.uri();
  }

  /** Where an access token for a user is handed out ({@code ?user=NAME}). */
  public URI tokens() {
    return URI.create(uri() + RestServer.CONTROLS + "/token");
  }

  private Reply answer(HttpServerRequest request) {
    if (request.method() != HttpMethod.GET || !PATH.equals(request.path())) {
      return error(404, "ResourceNotFoundException", "No such operation");
    }
    String token = request.getHeader(TOKEN_HEADER);
    String userName = token == null ? null : tokens.get(token);
    if (userName == null) {
      return error(401, "UnauthorizedException", "Session token not found or invalid");
    }
    String role = request.getParam("role_name");
    String account = request.getParam("account_id");
    if (role == null || role.isEmpty() || account == null || !account.matches("\\d{12}")) {
      return error(400, "InvalidRequestException", "Invalid role_name or account_id");
    }
    Optional<String> arn =
        store.userNamed(userName).flatMap(user -> roles.assigned(account, role, user.userId()));
    if (arn.isEmpty()) {
      return error(403, "ForbiddenException", "No access");
    }
    StsDocuments.Credentials c = sessions.start(arn.get(), userName, SESSION);
    JsonObject credentials =
        new JsonObject()
            .put("accessKeyId", c.accessKeyId())
            .put("secretAccessKey", c.secretAccessKey())
            .put("sessionToken", c.sessionToken())
            .put("expiration", c.expiration().toEpochMilli());
    return Reply.json(200, new JsonObject().put("roleCredentials", credentials).encode());
  }

  private StandInReply control(QueryRequest request) {
    if (!(RestServer.CONTROLS + "/token").equals(request.path())) {
      return text(404, "No such page.");
    }
    String user = request.param("user");
    Optional<IdentityStoreStandIn.User> found =
        user == null ? Optional.empty() : store.userNamed(user);
    if (found.isEmpty()) {
      return text(404, "No such user in the identity store.");
    }
    byte[] bytes = new byte[24];
    random.nextBytes(bytes);
    String token = "aoa" + HexFormat.of().formatHex(bytes);
    tokens.put(token, found.get().userName());
    return text(200, token);
  }

  private static StandInReply text(int status, String body) {
    return new StandInReply(status, "text/plain; charset=utf-8", body + "\n");
  }

  private static Reply error(int status, String type, String message) {
    return new Reply(
        status,
        Map.of("Content-Type", "application/json", "x-amzn-ErrorType", type),
        new JsonObject().put("message", message).encode());
  }

  private static Reply throttled(Duration after) {
    return error(429, "TooManyRequestsException", "Rate exceeded");
  }

  @Override
  public void close() {
    server.close();
  }
}
