package dev.stint.notify.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.access.AccessRequest;
import dev.stint.access.AccessRequest.ApprovalStage;
import dev.stint.access.AccessRequest.RequestState;
import dev.stint.access.NewRequest.Narrowed;
import dev.stint.access.Vote;
import dev.stint.common.FilledDocument;
import dev.stint.common.ParameterValues;
import dev.stint.identity.Person;
import dev.stint.testing.FakeSlack;
import dev.stint.testing.Requests;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The message's shape in every state, and Slack's limits held whatever people typed. */
class SlackMessageTest {
  static final Instant T = Instant.parse("2026-11-25T09:00:00Z");
  static final URI LINK = URI.create("https://stint.example.com/ui/requests/req_1");
  static final Person ALICE = new Person("https://idp", "alice", Optional.of("alice@example.com"));

  static AccessRequest request(RequestState state, String reason, List<Vote> votes) {
    return Requests.inState("req_1", state)
        .requester(ALICE)
        .reason(reason)
        .ticket("OPS-1")
        .duration(Duration.ofMinutes(90))
        .approvalsRequired(2)
        .at(T)
        .votes(votes)
        .build();
  }

  static JsonNode blocks(SlackMessage.Rendered m) throws Exception {
    return new ObjectMapper().readTree(m.blocksJson());
  }

  @ParameterizedTest
  @EnumSource(RequestState.class)
  void onlyAPendingRequestHasButtons(RequestState state) throws Exception {
    JsonNode blocks = blocks(SlackMessage.render(request(state, "r", List.of()), LINK, false));
    assertThat(FakeSlack.actionIds(blocks))
        .isEqualTo(
            state == RequestState.PENDING
                ? List.of(SlackMessage.APPROVE, SlackMessage.DENY)
                : List.of());
  }

  @Test
  void stepUpOffersOnlyALinkToTheWebPage() throws Exception {
    JsonNode blocks =
        blocks(SlackMessage.render(request(RequestState.PENDING, "r", List.of()), LINK, true));
    assertThat(FakeSlack.actionIds(blocks)).containsExactly(SlackMessage.OPEN);
    assertThat(blocks.findValue("url").asText()).isEqualTo(LINK.toString());
  }

  @Test
  void longTextAndManyVotesStayWithinSlacksLimits() throws Exception {
    List<Vote> votes = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      votes.add(
          new Vote(
              new Person("https://idp", "u" + i, Optional.of("<@U" + i + ">@x")),
              Vote.Decision.APPROVE,
              Optional.of("&".repeat(2000)),
              T));
    }
    JsonNode blocks =
        blocks(
            SlackMessage.render(
                request(RequestState.PENDING, "<".repeat(5000), votes), LINK, false));
    assertThat(blocks.size()).isLessThanOrEqualTo(50);
    for (JsonNode t : blocks.findValues("text")) {
      String text = t.isTextual() ? t.asText() : t.path("text").asText();
      assertThat(text.length()).isLessThanOrEqualTo(3000);
    }
    assertThat(FakeSlack.text(blocks)).doesNotContain("<@U").contains(" more");
  }

  @Test
  void theFactsAreThere() throws Exception {
    String text =
        FakeSlack.text(
            blocks(
                SlackMessage.render(
                    request(RequestState.PENDING, "INC-1 *bold* <!here>", List.of()),
                    LINK,
                    false)));
    assertThat(text)
        .contains(
            "<" + LINK + "|Access request req_1>",
            "*prod*",
            "alice@example.com",
            "1h30m",
            "INC-1 *bold* &lt;!here&gt;",
            "OPS-1",
            "0 of 2",
            "waiting for 2 more approvals");
  }

  @Test
  void anApprovalInStagesShowsEachStageAndWhatTheOpenOneNeeds() throws Exception {
    Person lead = new Person("https://idp", "lee", Optional.of("lee@example.com"));
    AccessRequest r =
        Requests.inState("req_1", RequestState.PENDING)
            .requester(ALICE)
            .at(T)
            .stages(
                new ApprovalStage("triage", 1, true),
                new ApprovalStage("lead", 1, false),
                new ApprovalStage("security", 2, false))
            .votes(
                List.of(
                    new Vote(
                        lead, Vote.Decision.APPROVE, Optional.empty(), T, Optional.of("lead"))))
            .build();
    assertThat(blocks(SlackMessage.render(r, LINK, false)).toString())
        .contains("*Stages*\\n~triage~ → lead 1/1 :white_check_mark: → *security 0/2*");
    assertThat(SlackMessage.stillNeeded(r)).isEqualTo("2 more approvals, now in stage security");
    assertThat(SlackMessage.stages(request(RequestState.PENDING, "r", List.of()))).isEmpty();
  }

  static AccessRequest narrowed(Map<String, String> values, FilledDocument policy) {
    return Requests.inState("req_1", RequestState.PENDING)
        .requester(ALICE)
        .at(T)
        .narrowed(new Narrowed(ParameterValues.of(values), Optional.of(policy)))
        .build();
  }

  /** Statements reading {@code count} buckets, {@code team-logsN} each. */
  static FilledDocument statements(int count) {
    List<String> each = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      each.add(
          "{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::team-logs"
              + i
              + "/*\"}");
    }
    return new FilledDocument("[" + String.join(",", each) + "]");
  }

  @Test
  void aNarrowedRequestNamesItsValuesAndItsPolicyInACodeBlock() throws Exception {
    FilledDocument policy =
        new FilledDocument(
            "[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::team-logs/*\"}]");
    String text =
        FakeSlack.text(
            blocks(
                SlackMessage.render(
                    narrowed(Map.of("bucket", "team-logs", "prefix", "app"), policy),
                    LINK,
                    false)));
    assertThat(text)
        .contains("*Narrowed to*\nbucket: `team-logs`\nprefix: `app`")
        .contains("*Policy* (SHA-256 `" + policy.sha256() + "`)\n```\n" + policy.pretty() + "\n```")
        .contains("\"Resource\" : \"arn:aws:s3:::team-logs/*\"");
    String plain =
        FakeSlack.text(
            blocks(
                SlackMessage.render(request(RequestState.PENDING, "r", List.of()), LINK, false)));
    assertThat(plain).doesNotContain("Narrowed to").doesNotContain("```");
  }

  @Test
  void aPolicyTooLongToShowIndentedIsShownCompactAndOneTooLongForThatIsLeftToThePage()
      throws Exception {
    FilledDocument compactFits = statements(30);
    assertThat(compactFits.pretty().length()).isGreaterThan(SlackNarrowed.MAX_TEXT);
    assertThat(compactFits.length()).isLessThan(SlackNarrowed.MAX_TEXT - 200);
    FilledDocument tooLong = statements(40);
    assertThat(tooLong.length()).isGreaterThan(SlackNarrowed.MAX_TEXT);

    String compact = policyText(compactFits);
    assertThat(compact).contains("\n```" + compactFits.json() + "```").doesNotContain("\n  ");
    String left = policyText(tooLong);
    assertThat(left)
        .contains("*Policy* (SHA-256 `" + tooLong.sha256() + "`)")
        .contains("too long for a Slack message: read it on <" + LINK + "|the request page>")
        .doesNotContain("```")
        .doesNotContain("team-logs");
  }

  private static String policyText(FilledDocument policy) throws Exception {
    JsonNode blocks =
        blocks(SlackMessage.render(narrowed(Map.of("bucket", "x"), policy), LINK, false));
    String found = null;
    for (JsonNode t : blocks.findValues("text")) {
      String text = t.isTextual() ? t.asText() : t.path("text").asText();
      assertThat(text.length()).isLessThanOrEqualTo(SlackNarrowed.MAX_TEXT);
      if (text.startsWith("*Policy*")) {
        found = text;
      }
    }
    assertThat(found).isNotNull();
    return found;
  }

  @Test
  void manyLongValuesStayWithinALimitAndTheRestAreCounted() throws Exception {
    Map<String, String> many = new TreeMap<>();
    for (int i = 0; i < 32; i++) {
      many.put("p" + (i < 10 ? "0" : "") + i, "&".repeat(256));
    }
    String values =
        SlackNarrowed.values(new Narrowed(ParameterValues.of(many), Optional.empty()), LINK);
    assertThat(values.length()).isLessThanOrEqualTo(SlackNarrowed.MAX_TEXT);
    assertThat(values)
        .contains("p00: `&amp;")
        .endsWith(" more: <" + LINK + "|see them on the request page>");
  }
}
