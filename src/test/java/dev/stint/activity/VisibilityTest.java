package dev.stint.activity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.activity.Visibility.Facts;
import dev.stint.activity.Visibility.Push;
import dev.stint.activity.Visibility.Seen;
import dev.stint.activity.Visibility.Unseen;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What stint can see of a grant's calls, from what it issued, what it is configured to read and
 * what the push has delivered; and the words a person reads, "Not used" only where every call the
 * credentials could make is seen.
 */
class VisibilityTest {
  static final String ACCOUNT = "111122223333";

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "nothing handed out",
            new Facts(0, 0, 0, Push.OFF, List.of()),
            true,
            List.of(),
            List.of()),
        Arguments.of(
            "AWS sessions, the push off",
            new Facts(2, 2, 0, Push.OFF, List.of(ACCOUNT)),
            false,
            List.of(Seen.MANAGEMENT_CALLS),
            List.of(Unseen.DATA_EVENTS_PUSH_OFF)),
        Arguments.of(
            "AWS sessions, the push on but no data event ever pushed from their account",
            new Facts(1, 1, 0, Push.ON, List.of(ACCOUNT)),
            false,
            List.of(Seen.MANAGEMENT_CALLS),
            List.of(Unseen.DATA_EVENTS_NOT_PUSHED)),
        Arguments.of(
            "AWS sessions, the push on and delivering their account's data events",
            new Facts(3, 3, 0, Push.ON, List.of()),
            true,
            List.of(Seen.MANAGEMENT_CALLS, Seen.DATA_EVENTS),
            List.of()),
        Arguments.of(
            "an Entra token for Resource Manager: writes only",
            new Facts(1, 0, 1, Push.ON, List.of()),
            false,
            List.of(Seen.RESOURCE_MANAGER_WRITES),
            List.of(Unseen.AZURE_READS_AND_DATA_PLANE)),
        Arguments.of(
            "a console sign-in link alone",
            new Facts(1, 0, 0, Push.ON, List.of()),
            false,
            List.of(),
            List.of(Unseen.CREDENTIALS_NOT_LOOKED_UP)),
        Arguments.of(
            "AWS sessions all seen, and a console link beside them",
            new Facts(2, 1, 0, Push.ON, List.of()),
            false,
            List.of(Seen.MANAGEMENT_CALLS, Seen.DATA_EVENTS),
            List.of(Unseen.CREDENTIALS_NOT_LOOKED_UP)),
        Arguments.of(
            "AWS and Azure, the push off",
            new Facts(2, 1, 1, Push.OFF, List.of()),
            false,
            List.of(Seen.MANAGEMENT_CALLS, Seen.RESOURCE_MANAGER_WRITES),
            List.of(Unseen.DATA_EVENTS_PUSH_OFF, Unseen.AZURE_READS_AND_DATA_PLANE)),
        Arguments.of(
            "a withheld session counted among the lookups, not among what was handed out",
            new Facts(0, 1, 0, Push.ON, List.of()),
            true,
            List.of(Seen.MANAGEMENT_CALLS, Seen.DATA_EVENTS),
            List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void whatIsSeenAndWhatIsNot(
      String name, Facts facts, boolean whole, List<Seen> seen, List<Unseen> unseen) {
    Visibility v = Visibility.of(facts);

    assertThat(v.seen()).containsExactlyElementsOf(seen);
    assertThat(v.unseen()).containsExactlyElementsOf(unseen);
    assertThat(v.whole()).isEqualTo(whole);
    assertThat(v.unseenWords()).hasSameSizeAs(unseen);
    assertThat(v.says()).doesNotContainIgnoringCase("not used");
  }

  @Test
  void theWordsSayWhatIsLookedUpAndWhatOnlyThePushBrings() {
    Visibility off = Visibility.of(new Facts(1, 1, 0, Push.OFF, List.of()));
    Visibility silent = Visibility.of(new Facts(1, 1, 0, Push.ON, List.of(ACCOUNT, "")));
    Visibility pushed = Visibility.of(new Facts(1, 1, 0, Push.ON, List.of()));

    assertThat(off.says())
        .isEqualTo(
            "management calls are looked up in CloudTrail; data events (S3 object reads and"
                + " writes, DynamoDB item calls, Lambda invocations, …) are not visible: they reach"
                + " stint only by the EventBridge push, which is off (activity.ingest_token)");
    assertThat(silent.says())
        .contains(
            "the EventBridge push, which has delivered none from account 111122223333 or an"
                + " account stint could not tell (no trail logs them there, or no rule forwards"
                + " them)");
    assertThat(silent.silentAccounts()).containsExactly("", ACCOUNT);
    assertThat(pushed.says())
        .isEqualTo(
            "management calls are looked up in CloudTrail; data events are pushed by EventBridge");
    assertThat(Visibility.of(new Facts(0, 0, 0, Push.OFF, List.of())).says())
        .isEqualTo("no credential was handed out");
  }

  @Test
  void credentialsNoLogNamesAreCounted() {
    assertThat(Visibility.of(new Facts(1, 0, 0, Push.ON, List.of())).unseenWords())
        .containsExactly(
            "the calls of 1 credential are not visible: no log stint reads names it (console"
                + " sign-in links, Google tokens, Entra tokens for other resources)");
    assertThat(Visibility.of(new Facts(3, 1, 0, Push.ON, List.of())).notLookedUp()).isEqualTo(2);
  }

  @Test
  void severalGrantsTogetherHideWhatAnyOfThemHides() {
    Visibility whole = Visibility.of(new Facts(1, 1, 0, Push.ON, List.of()));
    Visibility silent = Visibility.of(new Facts(1, 1, 0, Push.ON, List.of(ACCOUNT)));
    Visibility console = Visibility.of(new Facts(2, 0, 0, Push.ON, List.of()));

    Visibility together = Visibility.merged(List.of(whole, silent, console));

    assertThat(together.whole()).isFalse();
    assertThat(together.seen()).containsExactly(Seen.MANAGEMENT_CALLS, Seen.DATA_EVENTS);
    assertThat(together.unseen())
        .containsExactly(Unseen.DATA_EVENTS_NOT_PUSHED, Unseen.CREDENTIALS_NOT_LOOKED_UP);
    assertThat(together.silentAccounts()).containsExactly(ACCOUNT);
    assertThat(together.notLookedUp()).isEqualTo(2);
    assertThat(Visibility.merged(List.of(whole, whole)).whole()).isTrue();
    assertThat(Visibility.merged(List.of()).whole()).isTrue();
  }
}
