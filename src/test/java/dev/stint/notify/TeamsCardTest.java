package dev.stint.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.access.AccessRequest;
import dev.stint.access.AccessRequest.RequestState;
import dev.stint.access.Grant;
import dev.stint.access.NewRequest.Narrowed;
import dev.stint.common.FilledDocument;
import dev.stint.common.ParameterValues;
import dev.stint.identity.Person;
import dev.stint.testing.Requests;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Teams message: the shape a workflow takes, the facts, and supplied text kept inert. */
class TeamsCardTest {
  static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
  static final URI LINK = URI.create("https://stint.example.com/ui/requests/req_abc");

  static AccessRequest request(String reason, Optional<String> ticket, RequestState state) {
    Person alice = new Person("https://idp.test", "alice", Optional.of("alice@example.com"));
    return Requests.inState("req_abc", state)
        .profile("aws-prod-admin")
        .requester(alice)
        .reason(reason)
        .ticket(ticket)
        .duration(Duration.ofMinutes(90))
        .approvalsRequired(2)
        .at(NOW)
        .version(1)
        .build();
  }

  static JsonNode render(AccessRequest r) throws Exception {
    return new ObjectMapper().readTree(TeamsCard.render(r, LINK));
  }

  static List<String> texts(JsonNode message) {
    List<String> out = new ArrayList<>();
    message.at("/attachments/0/content/body").forEach(b -> out.add(b.path("text").asText()));
    return out;
  }

  @Test
  void aPendingRequestIsAMessageWithOneAdaptiveCardAndAButtonToItsPage() throws Exception {
    JsonNode m = render(request("INC-9 disk full", Optional.of("OPS-1"), RequestState.PENDING));
    assertThat(m.path("type").asText()).isEqualTo("message");
    assertThat(m.path("attachments")).hasSize(1);
    JsonNode a = m.path("attachments").path(0);
    assertThat(a.path("contentType").asText()).isEqualTo("application/vnd.microsoft.card.adaptive");
    JsonNode card = a.path("content");
    assertThat(card.path("type").asText()).isEqualTo("AdaptiveCard");
    assertThat(card.path("version").asText()).isEqualTo("1.4");
    card.path("body").forEach(b -> assertThat(b.path("type").asText()).isEqualTo("TextBlock"));
    assertThat(texts(m))
        .containsExactly(
            "Access request req_abc: aws-prod-admin",
            "Profile: aws-prod-admin",
            "Requester: alice@example.com",
            "Duration: 1h30m",
            "Reason: INC-9 disk full",
            "Ticket: OPS-1",
            "Approvals: 0 of 2",
            "State: waiting for 2 more approvals (decide on the web page)");
    assertThat(card.path("actions")).hasSize(1);
    JsonNode open = card.path("actions").path(0);
    assertThat(open.path("type").asText()).isEqualTo("Action.OpenUrl");
    assertThat(open.path("title").asText()).isEqualTo("Open in stint");
    assertThat(open.path("url").asText()).isEqualTo(LINK.toString());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "APPROVED|State: Approved",
        "DENIED|State: Denied",
        "CANCELLED|State: Cancelled",
        "TIMED_OUT|State: Timed out (nobody decided in time)"
      })
  void aDecidedRequestSaysHowItEnded(RequestState state, String line) throws Exception {
    JsonNode m = render(request("INC-9", Optional.empty(), state));
    assertThat(texts(m)).contains(line, "Ticket: none");
    assertThat(m.at("/attachments/0/content/actions/0/url").asText()).isEqualTo(LINK.toString());
  }

  @Test
  void suppliedTextCannotLinkRestyleOrStartALine() throws Exception {
    JsonNode m =
        render(
            request(
                "INC-1 [Approve](https://evil.example/approve) **now** _x_\n" + "- item\r\n1. step",
                Optional.of("[t](https://evil.example)*"),
                RequestState.PENDING));
    List<String> texts = texts(m);
    assertThat(texts)
        .contains(
            "Reason: INC-1 ［Approve］(https://evil.example/approve) ∗∗now∗∗" + " ＿x＿ - item 1. step",
            "Ticket: ［t］(https://evil.example)∗");
    texts
        .subList(1, texts.size())
        .forEach(t -> assertThat(t).doesNotContain("[", "]", "*", "_", "\n", "\r"));
    assertThat(m.at("/attachments/0/content/actions")).hasSize(1);
  }

  @Test
  void longValuesAreCutShort() throws Exception {
    JsonNode m = render(request("x".repeat(5000), Optional.empty(), RequestState.PENDING));
    assertThat(texts(m).get(4))
        .hasSize("Reason: ".length() + TeamsText.MAX_VALUE + 1)
        .endsWith("…");
  }

  @ParameterizedTest
  @CsvSource({
    "grant.extension_requested, asked (decide on the web page)",
    "grant.extended, 'Approved, access now until 2026-11-25T11:00:00Z'",
    "grant.extension_denied, Denied"
  })
  void anExtensionGetsAnInformationalCardWithTheGrantsEnd(String event, String state)
      throws Exception {
    AccessRequest r =
        Requests.approved("req_abc")
            .grant(
                new Grant(
                    "grt_1",
                    "req_abc",
                    "prod",
                    Requests.ALICE,
                    NOW,
                    NOW.plusSeconds(3600),
                    false,
                    Optional.empty(),
                    Optional.empty(),
                    Narrowed.NONE))
            .build();
    JsonNode m =
        new ObjectMapper()
            .readTree(TeamsCard.extension(event, r, "ext_1: +30m ([x](https://evil) *b*)", LINK));
    assertThat(texts(m))
        .contains("Access ends: 2026-11-25T11:00:00Z", "State: " + state)
        .anySatisfy(t -> assertThat(t).startsWith("Asked: ext＿1: +30m (［x］").doesNotContain("[x]"));
    assertThat(m.at("/attachments/0/content/actions").toString()).contains("Action.OpenUrl");
    assertThat(m.at("/attachments/0/content/actions").size()).isEqualTo(1);
  }

  static JsonNode narrowedCard(String value, FilledDocument policy) throws Exception {
    AccessRequest r =
        Requests.pending("req_abc")
            .narrowed(
                new Narrowed(ParameterValues.of(Map.of("bucket", value)), Optional.of(policy)))
            .build();
    return render(r);
  }

  static List<JsonNode> runs(JsonNode message) {
    List<JsonNode> out = new ArrayList<>();
    message.at("/attachments/0/content/body").forEach(b -> b.path("inlines").forEach(out::add));
    return out;
  }

  @Test
  void aNarrowedRequestShowsItsValuesAndItsPolicyExactlyInRunsTeamsDoesNotRender()
      throws Exception {
    String markdown = "[open](https://evil.example) **now** _x_";
    FilledDocument policy =
        new FilledDocument(
            "[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::team-logs/*\"}]");
    JsonNode m = narrowedCard(markdown, policy);
    List<JsonNode> runs = runs(m);
    assertThat(runs).allSatisfy(r -> assertThat(r.path("type").asText()).isEqualTo("TextRun"));
    assertThat(runs.stream().map(r -> r.path("text").asText()))
        .containsExactly(
            "bucket: ", markdown, "Policy (SHA-256 " + policy.sha256() + "): ", policy.json());
    assertThat(runs.get(3).path("fontType").asText()).isEqualTo("Monospace");
    assertThat(texts(m)).noneMatch(t -> t.contains("https://evil.example"));
    assertThat(runs(render(request("r", Optional.empty(), RequestState.PENDING)))).isEmpty();
  }

  @Test
  void aPolicyTooLongForTheCardIsLeftToThePage() throws Exception {
    String resource = "arn:aws:s3:::" + "b".repeat(TeamsNarrowed.MAX_POLICY);
    FilledDocument policy = new FilledDocument("[{\"Resource\":\"" + resource + "\"}]");
    List<JsonNode> runs = runs(narrowedCard("b", policy));
    assertThat(runs.get(3).path("text").asText())
        .contains("too long for this card: read it on the request's page")
        .doesNotContain("bbbb");
  }
}
