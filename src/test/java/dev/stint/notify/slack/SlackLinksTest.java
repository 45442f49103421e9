package dev.stint.notify.slack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.db.Database;
import dev.stint.testing.Patience;
import dev.stint.testing.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Link codes on the real schema: single use, few tries, short-lived; links one to one. */
class SlackLinksTest {
  static final Instant T = Instant.parse("2026-11-25T09:00:00Z");
  static final String IDP = "https://idp.example.com";
  static final JsonObject CLAIMS =
      new JsonObject()
          .put("issuer", "corp")
          .put("issuer_url", IDP)
          .put("claims", new JsonObject().put("sub", "alice"));
  private Vertx vertx;
  private Database db;
  private SlackLinks links;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    db = Database.connect(vertx, TestPostgres.migratedDatabase(), 2);
    links = new SlackLinks(db.pool());
  }

  @AfterEach
  void stop() throws Exception {
    db.close();
    vertx.close().await(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.await(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }

  private Optional<SlackLinks.Link> redeem(String subject, String code, Instant now)
      throws Exception {
    return await(links.redeem(IDP, subject, code, CLAIMS, now, now));
  }

  @Test
  void theRightCodeLinksOnceAndOnlyOnce() throws Exception {
    await(links.offer(IDP, "alice", "T1", "U1", "ABCDEFGH", T.plusSeconds(600)));
    assertThat(redeem("alice", "ABCDEFGH", T)).isPresent();
    assertThat(redeem("alice", "ABCDEFGH", T)).as("spent").isEmpty();
    assertThat(await(links.bySlackUser("T1", "U1")))
        .map(SlackLinks.Link::subject)
        .contains("alice");
  }

  @Test
  void anotherPersonCannotUseTheCode() throws Exception {
    await(links.offer(IDP, "alice", "T1", "U1", "ABCDEFGH", T.plusSeconds(600)));
    assertThat(redeem("mallory", "ABCDEFGH", T)).isEmpty();
    assertThat(await(links.bySlackUser("T1", "U1"))).isEmpty();
  }

  @Test
  void anExpiredCodeAndTooManyTriesAreRefused() throws Exception {
    await(links.offer(IDP, "alice", "T1", "U1", "ABCDEFGH", T.plusSeconds(600)));
    assertThat(redeem("alice", "ABCDEFGH", T.plusSeconds(601))).isEmpty();

    await(links.offer(IDP, "alice", "T1", "U1", "ABCDEFGH", T.plusSeconds(600)));
    for (int i = 0; i < SlackLinks.MAX_TRIES; i++) {
      assertThat(redeem("alice", "WRONGONE", T)).isEmpty();
    }
    assertThat(redeem("alice", "ABCDEFGH", T)).as("after too many tries").isEmpty();
  }

  @Test
  void linksAreOneToOneAndRefreshOnlyMovesForward() throws Exception {
    await(links.offer(IDP, "alice", "T1", "U1", "AAAAAAAA", T.plusSeconds(600)));
    redeem("alice", "AAAAAAAA", T);
    await(links.offer(IDP, "bob", "T1", "U1", "BBBBBBBB", T.plusSeconds(600)));
    redeem("bob", "BBBBBBBB", T);
    assertThat(await(links.byPerson(IDP, "alice"))).as("U1 now belongs to bob").isEmpty();

    await(links.refresh(IDP, "bob", CLAIMS, T.plus(Duration.ofDays(1))));
    await(links.refresh(IDP, "bob", CLAIMS, T.minus(Duration.ofDays(1))));
    assertThat(await(links.byPerson(IDP, "bob")))
        .map(SlackLinks.Link::verifiedAt)
        .contains(T.plus(Duration.ofDays(1)));
  }
}
