package dev.stint.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.access.AccessRequest.RequestState;
import dev.stint.facts.FactGatherer;
import dev.stint.facts.HttpFacts;
import dev.stint.facts.LookupSettings;
import dev.stint.identity.Principal;
import dev.stint.standin.HttpFactStandIn;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Patience;
import dev.stint.testing.TestIdp;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a caller can make the server's own providers hear: only the declared fields, each from where
 * stint knows it — the person from the verified token (an email only when its issuer verified it),
 * the request as asked, free text as a JSON string and nothing more; the fact's name and argument
 * from the policy alone; an answer about one person never served to another; and nothing at all for
 * a caller whom a facts-free rule refuses anyway. (A provider's URL that is plain http to another
 * machine is refused at config load: HttpFactsConfigTest, HttpFactsTest.)
 */
class HttpFactsTrustBoundaryTest {
  static final String TOKEN = "trust-provider-token-0123456789";
  static final TestIdp PARTNER = new TestIdp("partner");
  static AccessRig rig;
  static AccessUseCases access;
  static HttpFactStandIn provider;
  static Vertx vertx;

  static String policy(TestIdp idp) {
    String aws =
        "    aws: {role_arn: \"arn:aws:iam::111122223333:role/prod\", mode: assume_role}\n";
    return "issuers:\n"
        + idp.issuerYaml("corp")
        + PARTNER.issuerYaml("partner")
        + "profiles:\n"
        + "  change:\n"
        + aws
        + "    max_duration: 1h\n"
        + "    requesters: 'true'\n"
        + "    approval:\n"
        + "      count: 1\n"
        + "      approvers: 'principal.groups.exists(g, g == \"sre\")'\n"
        + "      auto_approve: 'fact(\"team\", \"payments\")'\n"
        + "  sre-only:\n"
        + aws
        + "    max_duration: 1h\n"
        + "    requesters: 'principal.groups.exists(g, g == \"sre\")'\n"
        + "    approval:\n"
        + "      count: 1\n"
        + "      approvers: 'principal.groups.exists(g, g == \"sre\")'\n"
        + "      auto_approve: 'fact(\"team\", \"payments\")'\n";
  }

  @BeforeAll
  static void start(@TempDir Path policyDir) throws Exception {
    provider = new HttpFactStandIn(TOKEN);
    vertx = Vertx.vertx();
    rig = new AccessRig(policyDir, HttpFactsTrustBoundaryTest::policy);
    // the production cache lifetime: an answer kept must still never be another's
    LookupSettings settings = LookupSettings.of(Patience.LOOKUP, rig.clock);
    HttpFacts team =
        new HttpFacts(WebClient.create(vertx), "team", provider.uri(), TOKEN, settings);
    FactGatherer gatherer =
        new FactGatherer(Optional.empty(), Optional.empty(), Map.of("team", team));
    access = rig.replica(gatherer::gather).access();
  }

  @AfterAll
  static void stop() throws Exception {
    rig.close();
    provider.close();
    vertx.close().await(Patience.seconds(10), TimeUnit.MILLISECONDS);
    PARTNER.close();
  }

  @BeforeEach
  void reset() {
    provider.answer("team", "payments", false);
  }

  static NewRequest asked(String profile, String reason, Optional<String> ticket) {
    return new NewRequest(profile, Duration.ofMinutes(30), reason, ticket, Optional.empty(), false);
  }

  static Caller partner(String subject, String email, boolean verified, String... groups) {
    Principal p =
        new Principal(
            "partner",
            PARTNER.issuer(),
            subject,
            Optional.of(email),
            List.of(groups),
            Map.of("email", email, "email_verified", verified),
            AccessRig.T0.plus(Duration.ofDays(9)),
            Optional.empty());
    return new Caller(p, Optional.of("127.0.0.1"), Optional.of("test"));
  }

  JsonObject lastQuestion() {
    List<JsonObject> all = provider.received();
    assertThat(all).isNotEmpty();
    return all.get(all.size() - 1);
  }

  @Test
  void thePersonIsTheVerifiedTokensAndAnUnverifiedEmailIsNotSent() throws Exception {
    AuditTables.await(
        access
            .requests()
            .create(
                partner("mallory", "una@example.com", false, "payments"),
                asked("change", "deploy", Optional.empty())));
    JsonObject principal = lastQuestion().getJsonObject("principal");
    assertThat(principal.getString("issuer")).isEqualTo(PARTNER.issuer());
    assertThat(principal.getString("subject")).isEqualTo("mallory");
    assertThat(principal.containsKey("email")).isTrue();
    assertThat(principal.getValue("email")).as("claimed, not verified").isNull();
    assertThat(principal.getJsonArray("groups")).isEqualTo(new JsonArray().add("payments"));

    AuditTables.await(
        access
            .requests()
            .create(
                partner("una-p", "una@example.com", true),
                asked("change", "deploy", Optional.empty())));
    assertThat(lastQuestion().getJsonObject("principal").getString("email"))
        .isEqualTo("una@example.com");
  }

  @Test
  void freeTextTravelsAsAStringAndCannotAddOrReplaceAField() throws Exception {
    String reason = "x\", \"principal\": {\"subject\": \"una\"}, \"argument\": \"ops";
    String ticket = "CHG-1\"}, \"fact\": \"admin";
    AccessRequest r =
        AuditTables.await(
            access
                .requests()
                .create(rig.caller("nina", "eng"), asked("change", reason, Optional.of(ticket))));
    JsonObject q = lastQuestion();
    assertThat(q.fieldNames())
        .containsExactlyInAnyOrder("fact", "argument", "principal", "request");
    assertThat(q.getString("fact")).isEqualTo("team");
    assertThat(q.getString("argument")).as("from the policy only").isEqualTo("payments");
    assertThat(q.getJsonObject("principal").getString("subject")).isEqualTo("nina");
    assertThat(q.getJsonObject("request").getString("reason")).isEqualTo(reason);
    assertThat(q.getJsonObject("request").getString("ticket")).isEqualTo(ticket);
    assertThat(q.getJsonObject("request").fieldNames())
        .containsExactlyInAnyOrder("id", "profile", "reason", "ticket", "duration_seconds");
    assertThat(r.state()).isEqualTo(RequestState.PENDING);
  }

  @Test
  void anAnswerAboutOnePersonIsNeverAnothers() throws Exception {
    provider.answer("team", "payments", true);
    AccessRequest una =
        AuditTables.await(
            access
                .requests()
                .create(rig.caller("una2", "eng"), asked("change", "same", Optional.of("CHG-9"))));
    assertThat(una.state()).isEqualTo(RequestState.APPROVED);
    int calls = provider.calls();

    provider.answer("team", "payments", false);
    AccessRequest other =
        AuditTables.await(
            access
                .requests()
                .create(rig.caller("oscar", "eng"), asked("change", "same", Optional.of("CHG-9"))));
    assertThat(other.state())
        .as("the same request by someone else is asked again, not served from the cache")
        .isEqualTo(RequestState.PENDING);
    assertThat(provider.calls()).isEqualTo(calls + 1);
  }

  @Test
  void aCallerWhomAFactsFreeRuleRefusesMakesNoLookup() throws Exception {
    int before = provider.calls();
    for (int i = 0; i < 5; i++) {
      AuditTables.failure(
          access
              .requests()
              .create(
                  partner("outsider", "outsider@evil.example", true),
                  asked("sre-only", "probe " + i, Optional.of("CHG-" + i))));
    }
    assertThat(provider.calls() - before).isZero();
  }
}
