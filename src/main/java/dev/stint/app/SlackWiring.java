package dev.stint.app;

import dev.stint.access.AccessSettings;
import dev.stint.config.StintConfig;
import dev.stint.db.Database;
import dev.stint.notify.SlackListener;
import dev.stint.notify.SlackMessages;
import dev.stint.notify.SlackWebApi;
import dev.stint.policy.PolicyStore;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;

/**
 * The Slack app, when {@code notify.slack.bot_token} is set: the request messages (an outbox
 * listener), the interaction endpoint and the account linking page.
 */
final class SlackWiring implements AutoCloseable {
  private final Optional<SlackWebApi> api;

  SlackWiring(Vertx vertx, StintConfig config, Database database, PolicyStore policies,
      AccessWiring access, Clock clock) {
    this.api = config.notifications().slack().map(app -> new SlackWebApi(vertx, app));
    Function<String, URI> links = new AccessSettings(config.access().reviewTimeout(),
        AccessSettings.DEFAULT_MAX_SCHEDULE_AHEAD, config.publicUrl())::link;
    config.notifications().slack().ifPresent(app -> access.outbox().register(new SlackListener(
        api.orElseThrow(), new SlackMessages(database.pool()), app.channel(), links,
        profile -> false, clock)));
  }

  @Override
  public void close() throws Exception {
    if (api.isPresent()) {
      api.get().close();
    }
  }
}
