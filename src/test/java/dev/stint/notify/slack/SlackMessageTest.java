package dev.stint.notify.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.access.AccessRequest;
import dev.stint.access.ApprovalStage;
import dev.stint.access.RequestState;
import dev.stint.access.Vote;
import dev.stint.identity.Person;
import dev.stint.testing.FakeSlack;
import dev.stint.testing.Requests;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
}
