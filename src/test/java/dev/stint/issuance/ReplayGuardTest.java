package dev.stint.issuance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stint.config.DatabaseUrl;
import dev.stint.db.Database;
import dev.stint.db.Migrations;
import dev.stint.identity.OidcTokenVerifier;
import dev.stint.identity.Principal;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Patience;
import dev.stint.testing.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A CI token's jti is spent once per token, whichever rule it meets, and remembered for as long as
 * the verifier would still accept the token, on the real schema.
 */
class ReplayGuardTest {
  static final String GITHUB = "https://token.actions.githubusercontent.com";
  static final String GITLAB = "https://gitlab.example.com";
  final Instant now = Instant.parse("2026-11-23T12:00:00Z");
  Vertx vertx;
  DatabaseUrl url;
  Database db;
  ReplayGuard guard;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    url = TestPostgres.migratedDatabase();
    db = Database.connect(vertx, url, 2);
    guard = new ReplayGuard(db.pool());
  }

  @AfterEach
  void stop() throws Exception {
    db.close();
    vertx.close().await(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }

  static Principal token(String issuer, String jti, Instant expires) {
    return new Principal(
        "ci",
        issuer,
        "repo:acme/api:ref:refs/heads/main",
        Optional.empty(),
        List.of(),
        Map.of(),
        expires,
        Optional.of(jti));
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.await(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }

  @Test
  void aTokenIsSpentOnceWhicheverRuleItMeets() throws Exception {
    Principal t = token(GITHUB, "jti-1", now.plusSeconds(300));
    assertThat(await(guard.firstUse("api-main", t, now))).isTrue();
    assertThat(await(guard.firstUse("api-main", t, now))).as("the same rule again").isFalse();
    assertThat(await(guard.firstUse("api-readonly", t, now))).as("another rule").isFalse();
  }

  @Test
  void theSameJtiFromAnotherIssuerIsAnotherToken() throws Exception {
    assertThat(await(guard.firstUse("api-main", token(GITHUB, "jti-2", now.plusSeconds(300)), now)))
        .isTrue();
    assertThat(await(guard.firstUse("api-main", token(GITLAB, "jti-2", now.plusSeconds(300)), now)))
        .isTrue();
  }

  @Test
  void aTokenSpentUnderTwoRulesBeforeTheKeyChangedKeepsItsFirstUse() throws Exception {
    DatabaseUrl older = TestPostgres.emptyDatabase();
    DatabaseUrl owner = TestPostgres.asOwner(older);
    Flyway.configure()
        .dataSource(owner.jdbcUrl(), owner.user(), owner.password())
        .locations("classpath:db/migration")
        .target("19")
        .load()
        .migrate();
    AuditTables.execute(
        owner,
        "INSERT INTO ci_token_uses (rule, jti, issuer, subject,"
            + " expires_at, used_at) VALUES"
            + " ('second', 'jti-3', '"
            + GITHUB
            + "', 'repo:x', now(), now()),"
            + " ('first', 'jti-3', '"
            + GITHUB
            + "', 'repo:x', now(), now() - interval '1 minute')");
    Migrations.migrate(owner);

    assertThat(AuditTables.strings(older, "SELECT rule FROM ci_token_uses"))
        .containsExactly("first");
    try (Database old = Database.connect(vertx, older, 1)) {
      assertThat(
              await(
                  new ReplayGuard(old.pool())
                      .firstUse("third", token(GITHUB, "jti-3", now.plusSeconds(300)), now)))
          .isFalse();
    }
  }

  @Test
  void aSpentTokenIsRememberedWhileTheVerifierStillAcceptsIt() throws Exception {
    Instant expires = now.plusSeconds(300);
    Principal t = token(GITHUB, "jti-4", expires);
    assertThat(await(guard.firstUse("api-main", t, now))).isTrue();
    Instant inSkew = expires.plus(OidcTokenVerifier.SKEW.dividedBy(2));
    Instant lastAccepted = expires.plus(OidcTokenVerifier.SKEW).minusMillis(1);
    // A replica whose clock is a skew ahead prunes as if at lastAccepted plus a skew.
    Instant aheadReplica = lastAccepted.plus(OidcTokenVerifier.SKEW);
    for (Instant at : List.of(now, expires, inSkew, lastAccepted, aheadReplica)) {
      assertThat(await(guard.prune(at))).as("pruned at " + at).isZero();
      assertThat(await(guard.firstUse("api-main", t, at))).as("replayed at " + at).isFalse();
    }
  }

  @Test
  void aTokenIsForgottenOnceTheVerifierRefusesItAnyway() throws Exception {
    Instant expires = now.plusSeconds(300);
    assertThat(await(guard.firstUse("api-main", token(GITHUB, "jti-5", expires), now))).isTrue();
    assertThat(
            await(
                guard.firstUse("api-main", token(GITHUB, "jti-6", expires.plusSeconds(600)), now)))
        .isTrue();
    Duration past = ReplayGuard.KEPT_PAST_EXPIRY.plusSeconds(1);
    assertThat(await(guard.prune(expires.plus(past)))).isEqualTo(1);
    assertThat(AuditTables.strings(url, "SELECT jti FROM ci_token_uses")).containsExactly("jti-6");
  }

  @Test
  void aTokenWithoutJtiIsNeverTakenForAFirstUse() throws Exception {
    Principal noJti =
        new Principal(
            "ci",
            GITHUB,
            "repo:acme/api:ref:refs/heads/main",
            Optional.empty(),
            List.of(),
            Map.of(),
            now.plusSeconds(300),
            Optional.empty());

    assertThatThrownBy(() -> guard.firstUse("api-main", noJti, now))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a replay check needs a jti");
    assertThat(AuditTables.strings(url, "SELECT jti FROM ci_token_uses")).isEmpty();
  }
}
