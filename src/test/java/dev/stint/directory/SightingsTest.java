package dev.stint.directory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.identity.Directory.Standing;
import dev.stint.identity.Person;
import dev.stint.identity.Principal;
import dev.stint.people.PeopleSeen;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Eventually;
import dev.stint.testing.ScimServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * People seen after their directory users were written: matched when seen, as the users' next write
 * would match them, and deprovisioned at once when their user is already inactive; the look answers
 * what the directory then says of them, before the view has read it.
 */
class SightingsTest {
  static ScimServer server;

  @BeforeAll
  static void start() throws Exception {
    server = ScimServer.start(Clock.systemUTC());
    DirectoryPeopleTest.server = server;
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  static Principal principal(String issuer, String subject, String email, boolean verified) {
    return new Principal(
        "corp",
        issuer,
        subject,
        Optional.ofNullable(email),
        List.of("from-the-token"),
        Map.of("email_verified", verified),
        Instant.MAX,
        Optional.empty());
  }

  /**
   * Recorded as seen by the production code (as the admission does before a sighting, with its rule
   * for which email the issuer verified), then sighted.
   */
  static Standing sighted(Principal p) throws Exception {
    AuditTables.await(new PeopleSeen(server.pool(), Clock.systemUTC()).seenNow(p));
    return AuditTables.await(server.scim().sightings().look(p));
  }

  /**
   * What a person's own token says of their email decides nothing: only an email their issuer
   * verified is kept for them, so a user the provider writes later is not matched to them by it.
   */
  @Test
  void anEmailTheIssuerDidNotVerifyIsNotKeptToMatchAUserWrittenLater() throws Exception {
    Principal unverified =
        principal(ScimServer.ISSUER, "pairwise-uma", "uma.later@corp.example", false);
    Principal verified =
        principal(ScimServer.ISSUER, "pairwise-vic", "vic.later@corp.example", true);
    AuditTables.await(new PeopleSeen(server.pool(), Clock.systemUTC()).seenNow(unverified));
    AuditTables.await(new PeopleSeen(server.pool(), Clock.systemUTC()).seenNow(verified));

    String uma =
        server.created("Users", DirectoryPeopleTest.user("uma.later@corp.example", null, null));
    String vic =
        server.created("Users", DirectoryPeopleTest.user("vic.later@corp.example", null, null));

    assertThat(matchedBy(uma)).isEqualTo("none");
    assertThat(matchedBy(vic)).isEqualTo("email");
  }

  static String matchedBy(String userId) throws Exception {
    return AuditTables.strings(
            server.database(),
            "SELECT details->>'matched_by' FROM audit_events WHERE details->>'user_id' = '"
                + userId
                + "' ORDER BY seq DESC LIMIT 1")
        .get(0);
  }

  static long matchedEvents(String userId) throws Exception {
    return AuditTables.count(
        server.database(),
        "type = 'directory.user.matched' AND details->>'user_id' = '" + userId + "'");
  }

  static Standing standing(String subject) throws Exception {
    return server.viewAfterWrites().standing(new Person(ScimServer.ISSUER, subject, null));
  }

  static String userWithGroup(String userName, String externalId, String group) throws Exception {
    String id = server.created("Users", DirectoryPeopleTest.user(userName, externalId, null));
    server.created(
        "Groups",
        new JsonObject()
            .put("displayName", group)
            .put("members", new JsonArray().add(new JsonObject().put("value", id))));
    return id;
  }

  @Test
  void aUserWrittenBeforeItsPersonWasSeenIsMatchedBySubWhenTheyAre() throws Exception {
    String id = userWithGroup("pat@corp.example", "00u-pat", "sight-sre");
    assertThat(standing("00u-pat")).isEqualTo(new Standing.Unknown());
    Principal pat = principal(ScimServer.ISSUER, "00u-pat", "pat@corp.example", true);

    assertThat(sighted(pat))
        .as("answered at once, before the view has read the match")
        .isEqualTo(new Standing.Member(List.of("sight-sre")));
    assertThat(standing("00u-pat")).isEqualTo(new Standing.Member(List.of("sight-sre")));
    assertThat(
            AuditTables.count(
                server.database(),
                "type = 'directory.user.matched' AND details->>'user_id' = '"
                    + id
                    + "' AND details->>'matched_by' = 'sub' AND actor_subject = 'system'"))
        .isEqualTo(1);
    assertThat(AuditTables.await(server.scim().sightings().look(pat)))
        .isEqualTo(new Standing.Member(List.of("sight-sre")));
    assertThat(matchedEvents(id))
        .as("a person the directory knows is not looked for again")
        .isEqualTo(1);
  }

  @Test
  void byEmailOnlyWhenTheIssuerVerifiedIt() throws Exception {
    userWithGroup("quinn@corp.example", "entra-object-quinn", "sight-ops");
    Principal unverified =
        principal(ScimServer.ISSUER, "pairwise-quinn", "quinn@corp.example", false);
    assertThat(sighted(unverified)).isEqualTo(new Standing.Unknown());
    assertThat(standing("pairwise-quinn")).isEqualTo(new Standing.Unknown());

    Principal verified = principal(ScimServer.ISSUER, "pairwise-quinn", "Quinn@Corp.example", true);
    AuditTables.execute(
        server.database(),
        "UPDATE people_seen SET email = 'quinn@corp.example' WHERE subject = 'pairwise-quinn'");
    assertThat(AuditTables.await(server.scim().sightings().look(verified)))
        .isEqualTo(new Standing.Member(List.of("sight-ops")));
    assertThat(standing("pairwise-quinn")).isEqualTo(new Standing.Member(List.of("sight-ops")));
  }

  @Test
  void aVerifiedAddressWithAKelvinSignIsNotThePlainAddressOfAUser() throws Exception {
    String id = userWithGroup("kim@corp.example", "00u-kim", "sight-kim");
    String lookalike = "\u212Aim@corp.example";
    Principal mallory =
        new Principal(
            "corp",
            ScimServer.ISSUER,
            "mallory",
            Optional.of(lookalike),
            List.of(),
            Map.of("email", lookalike, "email_verified", true),
            Instant.MAX,
            Optional.empty());
    // Recorded as seen as an API call records them, then sighted.
    AuditTables.await(new PeopleSeen(server.pool(), Clock.systemUTC()).signedIn(mallory));

    assertThat(AuditTables.await(server.scim().sightings().look(mallory)))
        .isEqualTo(new Standing.Unknown());
    assertThat(
            AuditTables.strings(
                server.database(),
                "SELECT coalesce(subject, '') FROM directory_users WHERE id = '" + id + "'"))
        .containsExactly("");
    assertThat(standing("mallory")).isEqualTo(new Standing.Unknown());
  }

  @Test
  void aPersonOfAnotherIssuerIsNotLookedFor() throws Exception {
    userWithGroup("rob@corp.example", "00u-rob", "sight-rob");
    Principal elsewhere = principal("https://other.example", "00u-rob", "rob@corp.example", true);
    assertThat(sighted(elsewhere)).isEqualTo(new Standing.Unknown());
    assertThat(
            AuditTables.strings(
                server.database(),
                "SELECT coalesce(subject, '') FROM directory_users WHERE external_id = '00u-rob'"))
        .containsExactly("");
  }

  @Test
  void aPersonWhoseUserIsAlreadyInactiveIsDeprovisionedWhenSeen() throws Exception {
    JsonObject inactive =
        DirectoryPeopleTest.user("sam@corp.example", "00u-sam", null).put("active", false);
    server.created("Users", inactive);
    Principal sam = principal(ScimServer.ISSUER, "00u-sam", "sam@corp.example", true);
    assertThat(sighted(sam)).isInstanceOf(Standing.Deprovisioned.class);
    assertThat(standing("00u-sam")).isInstanceOf(Standing.Deprovisioned.class);
    Eventually.until(
        "the mark's work done at once, not left for the next round of the timer",
        Duration.ofSeconds(10),
        () ->
            AuditTables.count(
                    server.database(),
                    "type = 'person.deprovisioned' AND details->>'subject' = '00u-sam'")
                == 1);
  }
}
