package dev.stint.notify.slack;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.Methods;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.methods.response.users.UsersInfoResponse;
import dev.stint.config.StintConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@link SlackApi} over Slack's own Java client, pointed at {@code notify.slack.api_url}. The
 * client blocks on HTTP, so each call runs on a Vert.x worker thread. Errors are cut down to
 * Slack's error code or the exception's class: a response or exception text could echo the request,
 * and with it the token.
 */
public final class SlackWebApi implements SlackApi, AutoCloseable {
  private final Vertx vertx;
  private final Slack slack;
  private final MethodsClient methods;

  public SlackWebApi(Vertx vertx, StintConfig.SlackApp app) {
    this.vertx = vertx;
    SlackConfig config = new SlackConfig();
    config.setMethodsEndpointUrlPrefix(app.apiUrl().toString());
    // Stint logs what it needs itself; the client's own request logging is kept off.
    config.setPrettyResponseLoggingEnabled(false);
    // The client's call statistics would make it call auth.test on its own, with the token,
    // from a thread of its own: an extra call stint neither needs nor audits.
    config.setStatsEnabled(false);
    this.slack = Slack.getInstance(config);
    this.methods = slack.methods(app.botToken());
  }

  /** The Slack client, configured as above: Socket Mode asks its addresses through it. */
  Slack sdk() {
    return slack;
  }

  @Override
  public Future<String> post(String channel, String text, String blocksJson) {
    return call(
            Methods.CHAT_POST_MESSAGE,
            () ->
                checked(
                    Methods.CHAT_POST_MESSAGE,
                    methods.chatPostMessage(
                        r ->
                            r.channel(channel)
                                .text(text)
                                .blocksAsString(blocksJson)
                                .unfurlLinks(false)
                                .unfurlMedia(false))))
        .map(r -> r.getTs());
  }

  @Override
  public Future<Void> reply(String channel, String ts, String text) {
    return call(
            Methods.CHAT_POST_MESSAGE,
            () ->
                checked(
                    Methods.CHAT_POST_MESSAGE,
                    methods.chatPostMessage(
                        r ->
                            r.channel(channel)
                                .threadTs(ts)
                                .text(text)
                                .unfurlLinks(false)
                                .unfurlMedia(false))))
        .mapEmpty();
  }

  @Override
  public Future<Void> update(String channel, String ts, String text, String blocksJson) {
    return call(
            Methods.CHAT_UPDATE,
            () ->
                checked(
                    Methods.CHAT_UPDATE,
                    methods.chatUpdate(
                        r -> r.channel(channel).ts(ts).text(text).blocksAsString(blocksJson))))
        .mapEmpty();
  }

  @Override
  public Future<Void> ephemeral(String channel, String user, String text) {
    return call(
            Methods.CHAT_POST_EPHEMERAL,
            () ->
                checked(
                    Methods.CHAT_POST_EPHEMERAL,
                    methods.chatPostEphemeral(r -> r.channel(channel).user(user).text(text))))
        .mapEmpty();
  }

  @Override
  public Future<Void> direct(String user, String text) {
    return open(user)
        .compose(
            channel ->
                call(
                    Methods.CHAT_POST_MESSAGE,
                    () ->
                        checked(
                            Methods.CHAT_POST_MESSAGE,
                            methods.chatPostMessage(
                                r ->
                                    r.channel(channel)
                                        .text(text)
                                        .unfurlLinks(false)
                                        .unfurlMedia(false)))))
        .mapEmpty();
  }

  @Override
  public Future<String> open(String user) {
    return call(
            Methods.CONVERSATIONS_OPEN,
            () ->
                checked(
                    Methods.CONVERSATIONS_OPEN,
                    methods.conversationsOpen(r -> r.users(List.of(user)))))
        .map(open -> open.getChannel().getId());
  }

  @Override
  public Future<Optional<Member>> member(String user) {
    return call(
        Methods.USERS_INFO,
        () -> {
          UsersInfoResponse info = methods.usersInfo(r -> r.user(user));
          if (!info.isOk()) {
            if ("user_not_found".equals(info.getError())) {
              return Optional.<Member>empty();
            }
            throw new SlackFailure(Methods.USERS_INFO, info.getError());
          }
          var u = info.getUser();
          if (u.isDeleted() || u.isBot() || u.getTeamId() == null) {
            return Optional.<Member>empty();
          }
          // The email is there only with the users:read.email scope.
          Optional<String> email =
              u.getProfile() == null
                      || u.getProfile().getEmail() == null
                      || u.getProfile().getEmail().isBlank()
                  ? Optional.empty()
                  : Optional.of(u.getProfile().getEmail());
          boolean full =
              !u.isRestricted()
                  && !u.isUltraRestricted()
                  && !u.isStranger()
                  && u.isEmailConfirmed();
          return Optional.of(new Member(u.getTeamId(), email, full));
        });
  }

  private static <T extends SlackApiTextResponse> T checked(String method, T response) {
    if (!response.isOk()) {
      throw new SlackFailure(method, response.getError());
    }
    return response;
  }

  private interface SlackCall<T> {
    T run() throws IOException, SlackApiException;
  }

  private <T> Future<T> call(String method, SlackCall<T> work) {
    Callable<T> blocking =
        () -> {
          try {
            return work.run();
          } catch (SlackApiException e) {
            throw new SlackFailure(method, "http_" + e.getResponse().code());
          } catch (IOException e) {
            throw new SlackFailure(method, "unreachable: " + e.getClass().getSimpleName());
          }
        };
    return vertx.executeBlocking(blocking, false);
  }

  /** A Slack call that did not succeed: the method and Slack's error code only. */
  public static final class SlackFailure extends RuntimeException {
    private final String error;

    SlackFailure(String method, String error) {
      super(
          "slack " + method + ": " + (error == null ? "unknown_error" : error), null, false, false);
      this.error = error == null ? "unknown_error" : error;
    }

    public String error() {
      return error;
    }
  }

  @Override
  public void close() throws Exception {
    slack.close();
  }
}
