package dev.stint.notify.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.access.AccessRequest;
import dev.stint.access.Grant;
import dev.stint.access.NewRequest.Narrowed;
import dev.stint.common.FilledDocument;
import dev.stint.common.ParameterValues;
import dev.stint.identity.Person;
import dev.stint.notify.Notification;
import dev.stint.testing.FakeSlack;
import dev.stint.testing.Requests;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whatever people put into a request (reason, comment) or an identity provider puts into a name
 * reaches Slack as text, never as markup: no mention, no link, no fake button.
 */
class SlackInjectionTest {
  static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
  static final String PING = "<!channel> please look";
  static final String FAKE_BUTTON = "<https://evil.example/approve|Approve>";
  static final String[] EVENTS = {
    "request.created",
    "request.approved",
    "request.denied",
    "grant.revoked",
    "grant.expiring",
    "grant.extension_requested",
    "grant.extended",
    "grant.extension_denied",
    "grant.expired",
    "break_glass.used",
    "some.other_event"
  };

  record Values(String requester, String actor, String profile, String reason, String comment) {}

  static Notification notification(String event, Values v) {
    Person requester = new Person("https://idp.test", "alice", Optional.of(v.requester()));
    Person actor = new Person("https://idp.test", "bob", Optional.of(v.actor()));
    Grant grant =
        new Grant(
            "gr_1",
            "req_abc",
            v.profile(),
            requester,
            NOW,
            NOW.plus(Duration.ofHours(1)),
            false,
            Optional.empty(),
            Optional.empty(),
            Narrowed.NONE);
    AccessRequest r =
        Requests.approved("req_abc")
            .profile(v.profile())
            .requester(requester)
            .reason(v.reason())
            .duration(Duration.ofMinutes(90))
            .at(NOW)
            .version(1)
            .grant(grant)
            .build();
    return new Notification(
        event,
        r,
        actor,
        Optional.of(v.comment()),
        NOW,
        URI.create("https://stint.example.com/ui/requests/req_abc"));
  }

  static Stream<Arguments> cases() {
    Values plain = new Values("alice@example.com", "bob@example.com", "aws-prod", "INC-1", "ok");
    Stream.Builder<Arguments> out = Stream.builder();
    for (String event : EVENTS) {
      for (String attack : new String[] {PING, FAKE_BUTTON, "a & b <@U0123> <!here>"}) {
        out.add(
            Arguments.of(
                event,
                "reason",
                new Values(
                    plain.requester(), plain.actor(), plain.profile(), attack, plain.comment())));
        out.add(
            Arguments.of(
                event,
                "comment",
                new Values(
                    plain.requester(), plain.actor(), plain.profile(), plain.reason(), attack)));
        out.add(
            Arguments.of(
                event,
                "requester",
                new Values(
                    attack, plain.actor(), plain.profile(), plain.reason(), plain.comment())));
        out.add(
            Arguments.of(
                event,
                "actor",
                new Values(
                    plain.requester(), attack, plain.profile(), plain.reason(), plain.comment())));
        out.add(
            Arguments.of(
                event,
                "profile",
                new Values(
                    plain.requester(), plain.actor(), attack, plain.reason(), plain.comment())));
      }
    }
    return out.build();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("cases")
  void suppliedTextNeverBecomesSlackMarkup(String event, String field, Values v) {
    String text = SlackText.of(notification(event, v));
    String link = " <https://stint.example.com/ui/requests/req_abc|req_abc>";
    assertThat(text).endsWith(link);
    String supplied = text.substring(0, text.length() - link.length());
    assertThat(supplied).doesNotContain("<").doesNotContain(">");
    assertThat(supplied.replace("&amp;", "").replace("&lt;", "").replace("&gt;", ""))
        .as("every & is one of the three escapes")
        .doesNotContain("&");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("escapes")
  void escapesSlacksThreeControlCharacters(String in, String out) {
    assertThat(SlackText.escape(in)).isEqualTo(out);
  }

  static Stream<Arguments> escapes() {
    return Stream.of(
        Arguments.of("plain", "plain"),
        Arguments.of("<!channel>", "&lt;!channel&gt;"),
        Arguments.of("<https://evil|Approve>", "&lt;https://evil|Approve&gt;"),
        Arguments.of("a & b", "a &amp; b"),
        Arguments.of("&lt;", "&amp;lt;"),
        Arguments.of("```code block``` `span`", "ˋˋˋcode blockˋˋˋ ˋspanˋ"),
        Arguments.of("one\ntwo", "one two"),
        Arguments.of("one\r\ntwo\rthree", "one two three"),
        Arguments.of("tab\tand\u2028separator\u0085", "tab and separator "),
        Arguments.of("*bold* _it_ ~gone~", "*bold* _it_ ~gone~"),
        Arguments.of("", ""));
  }

  @Test
  void stintsOwnLinkStaysALinkWithItsLabelEscaped() {
    assertThat(SlackText.link(URI.create("https://stint.example.com/ui/requests/req_1"), "req_1"))
        .isEqualTo("<https://stint.example.com/ui/requests/req_1|req_1>");
    assertThat(SlackText.link(URI.create("https://stint.example.com/x"), "a|<b>"))
        .isEqualTo("<https://stint.example.com/x|a¦&lt;b&gt;>");
  }

  /**
   * Filing refuses such values, but the message does not rely on it: a value or a policy holding
   * Slack markup, or backticks that would close the code block, stays text inside its code.
   */
  @Test
  void aNarrowedRequestsValuesAndPolicyNeverBecomeSlackMarkup() throws Exception {
    String attack = PING + " " + FAKE_BUTTON + " ``` & `";
    String escaped = SlackText.escape(attack);
    AccessRequest r =
        Requests.pending("req_abc")
            .narrowed(
                new Narrowed(
                    ParameterValues.of(Map.of("bucket", attack)),
                    Optional.of(
                        new FilledDocument(
                            "[{\"Resource\":\"" + attack.replace("\"", "\\\"") + "\"}]"))))
            .build();
    URI link = URI.create("https://stint.example.com/ui/requests/req_abc");
    String text =
        FakeSlack.text(
            new ObjectMapper().readTree(SlackMessage.render(r, link, false).blocksJson()));
    String supplied = text.replace("<" + link + "|Access request req_abc>", "");
    assertThat(supplied).doesNotContain("<").doesNotContain(">");
    assertThat(supplied)
        .contains("bucket: `" + escaped + "`")
        .contains("\"Resource\" : \"" + escaped + "\"");
    assertThat(supplied.split("```", -1)).as("the policy's own fences only").hasSize(3);
  }
}
