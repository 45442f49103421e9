package dev.stint.notify.slack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.access.AccessRequest;
import dev.stint.access.Act;
import dev.stint.access.Grant;
import dev.stint.access.NewRequest.Narrowed;
import dev.stint.access.RequestListener.Change;
import dev.stint.identity.Person;
import dev.stint.testing.Requests;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a requester is told, for each event, and that supplied text stays text. */
class RequesterNoteTest {
  static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
  static final URI LINK = URI.create("https://stint.example.com/ui/requests/req_abc");
  static final Person ALICE =
      new Person("https://idp.test", "alice", Optional.of("alice@example.com"));
  static final Person BOB = new Person("https://idp.test", "bob", Optional.of("bob@example.com"));

  static Change change(String event, Person actor, Optional<String> comment) {
    Grant grant =
        new Grant(
            "grt_1",
            "req_abc",
            "prod<!channel>",
            ALICE,
            NOW,
            NOW.plusSeconds(3600),
            false,
            Optional.empty(),
            Optional.empty(),
            Narrowed.NONE);
    AccessRequest r =
        Requests.approved("req_abc")
            .profile("prod<!channel>")
            .requester(ALICE)
            .reason("INC-1")
            .at(NOW)
            .version(1)
            .grant(grant)
            .build();
    return new Change(event, r, actor, comment, NOW);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '#',
      value = {
        "request.approved#bob#Your request <https://stint.example.com/ui/requests/req_abc|req_abc>"
            + " for *prod&lt;!channel&gt;* was approved by bob@example.com; access from"
            + " 2026-11-25T10:00:00Z until 2026-11-25T11:00:00Z.",
        "request.denied#bob#Your request <https://stint.example.com/ui/requests/req_abc|req_abc>"
            + " for *prod&lt;!channel&gt;* was denied by bob@example.com.",
        "request.timed_out#system#Your request"
            + " <https://stint.example.com/ui/requests/req_abc|req_abc> for *prod&lt;!channel&gt;*"
            + " timed out: nobody decided in time.",
        "request.cancelled#bob#Your request"
            + " <https://stint.example.com/ui/requests/req_abc|req_abc> for *prod&lt;!channel&gt;*"
            + " was cancelled by bob@example.com.",
        "grant.expiring#system#Your access to *prod&lt;!channel&gt;*"
            + " (<https://stint.example.com/ui/requests/req_abc|req_abc>) ends at"
            + " 2026-11-25T11:00:00Z.",
        "grant.revoked#bob#Your access to *prod&lt;!channel&gt;*"
            + " (<https://stint.example.com/ui/requests/req_abc|req_abc>) was revoked by"
            + " bob@example.com.",
        "grant.sessions_cut#system#Your AWS sessions for *prod&lt;!channel&gt;*"
            + " (<https://stint.example.com/ui/requests/req_abc|req_abc>) were ended by another"
            + " grant's revocation; your access stands, and a fresh session works"
            + " (`stint credentials prod&lt;!channel&gt; --refresh`)."
      })
  void eachEventSaysWhatHappenedAndWho(String event, String actor, String expected) {
    Change c = change(event, "bob".equals(actor) ? BOB : Act.SYSTEM, Optional.empty());
    assertThat(RequesterNote.tells(c)).isTrue();
    assertThat(RequesterNote.text(c, LINK)).isEqualTo(expected);
  }

  @Test
  void theRequesterIsNotToldOfTheirOwnCancellationNorOfOtherEvents() {
    assertThat(RequesterNote.tells(change("request.cancelled", ALICE, Optional.empty()))).isFalse();
    for (String e :
        List.of(
            "request.created",
            "approval.recorded",
            "grant.expired",
            "grant.extended",
            "break_glass.used")) {
      assertThat(RequesterNote.tells(change(e, BOB, Optional.empty()))).as(e).isFalse();
    }
  }

  @Test
  void aCommentCannotMentionOrLink() {
    String text =
        RequesterNote.text(
            change(
                "request.denied", BOB, Optional.of("no <!here> <https://evil.example|Appeal> `x`")),
            LINK);
    assertThat(text).endsWith(" \"no &lt;!here&gt; &lt;https://evil.example|Appeal&gt; ˋxˋ\"");
    assertThat(text).doesNotContain("<!here>").doesNotContain("<https://evil");
  }
}
