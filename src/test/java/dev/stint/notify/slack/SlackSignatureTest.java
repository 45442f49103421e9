package dev.stint.notify.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Slack's signing rules, with Slack's own documented example as the fixed point. */
class SlackSignatureTest {
  // The example in Slack's "Verifying requests from Slack" guide.
  static final String SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
  static final String TS = "1531420618";
  static final byte[] BODY =
      ("token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow"
              + "&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner"
              + "&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands"
              + "%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121"
              + ".803a0bc887a14d10d2c447fce8b6703c")
          .getBytes(StandardCharsets.UTF_8);
  static final String EXPECTED =
      "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
  static final Instant NOW = Instant.ofEpochSecond(Long.parseLong(TS));

  @Test
  void matchesSlacksDocumentedExample() {
    assertThat(SlackSignature.sign(SECRET, TS, BODY)).isEqualTo(EXPECTED);
    assertThat(SlackSignature.refuse(SECRET, TS, EXPECTED, BODY, NOW)).isEmpty();
    assertThat(SlackSignature.refuse(SECRET, TS, EXPECTED, BODY, NOW.plusSeconds(300))).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
    // what is wrong,     timestamp,  signature, seconds from the timestamp, reason
    "old,                 1531420618, GOOD, 301,  outside five minutes",
    "from the future,     1531420618, GOOD, -301, outside five minutes",
    "unreadable time,     soon,       GOOD, 0,    unreadable",
    "other timestamp,     1531420619, GOOD, 0,    wrong Slack signature",
    "other signature,     1531420618, v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b504, 0, wrong Slack signature",
    "no v0 prefix,        1531420618, a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503, 0, wrong Slack signature",
    "empty signature,     1531420618, '', 0, wrong Slack signature",
    "overflowing time,    -9223372035323355190, GOOD, 0, outside five minutes"
  })
  void refuses(String what, String ts, String signature, long after, String reason) {
    String given = "GOOD".equals(signature) ? EXPECTED : signature;
    assertThat(SlackSignature.refuse(SECRET, ts, given, BODY, NOW.plusSeconds(after)))
        .as(what)
        .hasValueSatisfying(r -> assertThat(r).contains(reason));
  }

  @Test
  void refusesAnEditedBodyAMissingHeaderAndAnotherSecret() {
    byte[] edited =
        new String(BODY, StandardCharsets.UTF_8)
            .replace("roadrunner", "coyote")
            .getBytes(StandardCharsets.UTF_8);
    assertThat(SlackSignature.refuse(SECRET, TS, EXPECTED, edited, NOW)).isPresent();
    assertThat(SlackSignature.refuse(SECRET, null, EXPECTED, BODY, NOW)).isPresent();
    assertThat(SlackSignature.refuse(SECRET, TS, null, BODY, NOW)).isPresent();
    assertThat(SlackSignature.refuse("another-secret-of-enough-length", TS, EXPECTED, BODY, NOW))
        .isPresent();
  }
}
