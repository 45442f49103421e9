package dev.stint.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.testing.Patience;
import dev.stint.testing.TestLimits;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Authentication by construction: whatever an {@link ApiModule} registers, on whatever path, is
 * behind the authentication handler, whichever order the modules come in; only what is registered
 * on the main router outside {@code /v1} (and {@code /v1/login}) is open.
 */
class ApiMountTest {
  private Vertx vertx;
  private HttpClient client;
  private int port;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    // Admits only requests that carry "Authorization: Bearer ok".
    Handler<RoutingContext> authentication =
        ctx -> {
          if ("Bearer ok".equals(ctx.request().getHeader("Authorization"))) {
            ctx.next();
          } else {
            ctx.fail(new StintException(ErrorCode.UNAUTHENTICATED, "a bearer token is required"));
          }
        };
    ApiModule first = v1 -> v1.get("/first").handler(ctx -> ctx.end("first"));
    ApiModule anywhere =
        v1 -> {
          v1.route().handler(ctx -> ctx.next());
          v1.get("/nested/deep/:id").handler(ctx -> ctx.end("deep"));
          v1.post("/login-lookalike").handler(ctx -> ctx.end("post"));
        };
    RouteModule login = router -> router.get("/v1/login").handler(ctx -> ctx.end("login"));
    // Slack carries no stint token: its route is open, and checks Slack's signature itself.
    RouteModule slack = router -> router.post(SlackRoutes.PATH).handler(ctx -> ctx.end("slack"));
    RouteModule health = router -> router.get("/healthz").handler(ctx -> ctx.end("ok"));
    HttpVerticle http =
        new HttpVerticle(
            "127.0.0.1",
            0,
            List.of(health, login, slack, new Api(vertx, authentication, List.of(first, anywhere))),
            new HttpVerticle.Settings(Duration.ofSeconds(2), TestLimits.guard()));
    vertx.deployVerticle(http).await(Patience.seconds(10), TimeUnit.MILLISECONDS);
    port = http.actualPort();
    client = vertx.createHttpClient();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }

  private int status(HttpMethod method, String path, boolean token) throws Exception {
    return client
        .request(method, port, "127.0.0.1", path)
        .compose(
            r -> {
              if (token) {
                r.putHeader("Authorization", "Bearer ok");
              }
              return r.send();
            })
        .map(HttpClientResponse::statusCode)
        .await(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }

  @Test
  void everyModuleRouteNeedsAuthentication() throws Exception {
    assertThat(status(HttpMethod.GET, "/v1/first", false)).isEqualTo(401);
    assertThat(status(HttpMethod.GET, "/v1/nested/deep/7", false)).isEqualTo(401);
    assertThat(status(HttpMethod.POST, "/v1/login-lookalike", false)).isEqualTo(401);
    assertThat(status(HttpMethod.GET, "/v1/no-such-route", false)).isEqualTo(401);
  }

  @Test
  void authenticatedCallsReachTheModules() throws Exception {
    assertThat(status(HttpMethod.GET, "/v1/first", true)).isEqualTo(200);
    assertThat(status(HttpMethod.GET, "/v1/nested/deep/7", true)).isEqualTo(200);
    assertThat(status(HttpMethod.POST, "/v1/login-lookalike", true)).isEqualTo(200);
    assertThat(status(HttpMethod.GET, "/v1/no-such-route", true)).isEqualTo(404);
  }

  @Test
  void onlyTheMainRoutersOwnRoutesAreOpen() throws Exception {
    assertThat(status(HttpMethod.GET, "/v1/login", false)).isEqualTo(200);
    assertThat(status(HttpMethod.POST, "/v1/slack/interactions", false)).isEqualTo(200);
    assertThat(status(HttpMethod.GET, "/healthz", false)).isEqualTo(200);
  }

  /** The open paths are exactly these two; adding one is a decision this test records. */
  @Test
  void theOpenPathsUnderV1AreListed() throws Exception {
    assertThat(Api.OPEN_PATHS).containsExactly("/v1/login", "/v1/slack/interactions");
    // Only the method Slack uses is open; any other is the API's, behind authentication.
    assertThat(status(HttpMethod.GET, "/v1/slack/interactions", false)).isEqualTo(401);
    assertThat(status(HttpMethod.POST, "/v1/slack/interactions/more", false)).isEqualTo(401);
  }
}
