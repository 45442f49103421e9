package dev.stint.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.stint.config.DatabaseUrl;
import dev.stint.db.Database;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.testing.Patience;
import dev.stint.testing.TestPostgres;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Sign-ins in progress are bounded, single-use and end when they expire. */
class WebSessionsTest {
  Vertx vertx;
  Database db;
  WebSessions sessions;
  final Instant now = Instant.parse("2026-11-23T12:00:00Z");

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    DatabaseUrl url = TestPostgres.migratedDatabase();
    db = Database.connect(vertx, url, 2);
    sessions = new WebSessions(db.pool());
  }

  @AfterEach
  void stop() throws Exception {
    db.close();
    vertx.close().await(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }

  private static WebSessions.PendingLogin login(String n) {
    return new WebSessions.PendingLogin("nonce-" + n, "verifier-" + n, "/ui");
  }

  private void start(String state, Instant at, int max) throws Exception {
    sessions
        .startLogin(state, login(state), at, at.plus(Duration.ofMinutes(10)), max)
        .await(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }

  @Test
  void beyondTheBoundANewSignInIsRefusedUntilOldOnesExpire() throws Exception {
    for (int i = 0; i < 3; i++) {
      start("s" + i, now, 3);
    }
    Throwable full = catchThrowable(() -> start("s3", now, 3));
    assertThat(full)
        .isInstanceOf(StintException.class)
        .hasMessageContaining("too many sign-ins are in progress");
    assertThat(((StintException) full).code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(sessions.takeLogin("s3", now).await(Patience.seconds(10), TimeUnit.MILLISECONDS))
        .isEmpty();

    // Finishing one makes room; so does the passing of time.
    assertThat(sessions.takeLogin("s0", now).await(Patience.seconds(10), TimeUnit.MILLISECONDS))
        .map(WebSessions.PendingLogin::nonce)
        .contains("nonce-s0");
    start("s4", now, 3);
    start("s5", now.plus(Duration.ofMinutes(11)), 3);
    assertThat(
            sessions
                .takeLogin("s1", now.plus(Duration.ofMinutes(11)))
                .await(Patience.seconds(10), TimeUnit.MILLISECONDS))
        .isEmpty();
  }

  @Test
  void aSignInIsTakenOnceAndNotAfterItExpires() throws Exception {
    start("once", now, WebSessions.MAX_PENDING_LOGINS);
    assertThat(sessions.takeLogin("once", now).await(Patience.seconds(10), TimeUnit.MILLISECONDS))
        .isPresent();
    assertThat(sessions.takeLogin("once", now).await(Patience.seconds(10), TimeUnit.MILLISECONDS))
        .isEmpty();
    start("late", now, WebSessions.MAX_PENDING_LOGINS);
    assertThat(
            sessions
                .takeLogin("late", now.plus(Duration.ofMinutes(10)))
                .await(Patience.seconds(10), TimeUnit.MILLISECONDS))
        .isEqualTo(Optional.empty());
  }
}
