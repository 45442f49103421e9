package dev.stint.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.activity.ActivityEvent;
import dev.stint.activity.ActivitySummary;
import dev.stint.activity.GrantActivity;
import dev.stint.activity.Visibility;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How the Activity section draws a request's activity, from views made here. */
class ActivitySectionTest {
  static final Instant AT = Instant.parse("2026-11-20T10:00:00Z");

  static ActivityEvent call(String name, Instant at, String error) {
    return new ActivityEvent(
        "e-" + name,
        at,
        "crd_1",
        Optional.of("ASIAKEY"),
        "s3.amazonaws.com",
        name,
        "eu-west-1",
        Optional.of("198.51.100.7"),
        Optional.ofNullable(error));
  }

  /** AWS sessions in an account whose data events the push delivers: every call is seen. */
  static final Visibility WHOLE =
      Visibility.of(new Visibility.Facts(2, 2, 0, Visibility.Push.ON, List.of()));

  static GrantActivity.View view(
      ActivitySummary s, List<ActivityEvent> events, Optional<String> next) {
    return view(s, WHOLE, events, next);
  }

  static GrantActivity.View view(
      ActivitySummary s, Visibility v, List<ActivityEvent> events, Optional<String> next) {
    return new GrantActivity.View(
        s,
        v,
        events,
        List.of(new GrantActivity.Source("cloudtrail_lookup", Optional.of(AT))),
        next);
  }

  @Test
  void callsAreTextAndTheNextPageIsLinkedWithItsCursor() {
    ActivitySummary s =
        new ActivitySummary(
            2,
            1,
            Map.of("s3.amazonaws.com", 2L),
            Optional.of(AT),
            Optional.of(AT.plusSeconds(60)),
            1);
    String html =
        ActivitySection.section(
                "req_abc",
                view(
                    s,
                    List.of(
                        call("<b>Put</b>", AT.plusSeconds(60), "AccessDenied"),
                        call("Get", AT, null)),
                    Optional.of("Y3Vyc29y")),
                false)
            .toString();
    assertThat(html)
        .contains("&lt;b&gt;Put&lt;/b&gt;")
        .doesNotContain("<b>Put")
        .contains("<dt>Calls</dt><dd>2</dd>")
        .contains("<dt>Errors</dt><dd>1</dd>")
        .contains("Calls, newest first")
        .contains("href=\"/ui/requests/req_abc?activity_cursor=Y3Vyc29y#use-h\">More calls</a>")
        .doesNotContain("Newest calls");
    assertThat(html.indexOf("Put")).isLessThan(html.indexOf(">Get<"));
  }

  @Test
  void theLastPageHasNoMoreLinkButOneBackToTheNewest() {
    ActivitySummary s =
        new ActivitySummary(
            1, 0, Map.of("s3.amazonaws.com", 1L), Optional.of(AT), Optional.of(AT), 1);
    String html =
        ActivitySection.section("req_abc", view(s, List.of(), Optional.empty()), true).toString();
    assertThat(html)
        .contains("No more calls.")
        .doesNotContain("More calls")
        .contains("href=\"/ui/requests/req_abc#use-h\">Newest calls</a>");
  }

  @Test
  void notUsedOnlyWhereEveryCallIsVisible() {
    ActivitySummary nothing =
        new ActivitySummary(0, 0, Map.of(), Optional.empty(), Optional.empty(), 0);
    String none =
        ActivitySection.section(
                "req_abc",
                view(
                    nothing,
                    Visibility.of(new Visibility.Facts(0, 0, 0, Visibility.Push.OFF, List.of())),
                    List.of(),
                    Optional.empty()),
                false)
            .toString();
    assertThat(none)
        .contains("<strong>Not used</strong>: no credential was handed out on this grant.")
        .doesNotContain("<table")
        .doesNotContain("<dt>Calls</dt>");
    ActivitySummary quiet =
        new ActivitySummary(0, 0, Map.of(), Optional.empty(), Optional.empty(), 2);
    String seenWhole =
        ActivitySection.section("req_abc", view(quiet, List.of(), Optional.empty()), false)
            .toString();
    assertThat(seenWhole)
        .contains("<strong>Not used</strong>: no call made")
        .contains(
            "<dt>Visible</dt><dd>management calls are looked up in CloudTrail; data events"
                + " are pushed by EventBridge</dd>")
        .doesNotContain("Not visible");
  }

  @Test
  void noManagementCallSeenIsNotNotUsedWhenDataEventsCannotBeSeen() {
    ActivitySummary quiet =
        new ActivitySummary(0, 0, Map.of(), Optional.empty(), Optional.empty(), 2);
    Visibility pushOff =
        Visibility.of(new Visibility.Facts(2, 2, 0, Visibility.Push.OFF, List.of()));
    String html =
        ActivitySection.section("req_abc", view(quiet, pushOff, List.of(), Optional.empty()), false)
            .toString();
    assertThat(html)
        .doesNotContain("Not used")
        .contains("<strong>No call seen</strong>, but not every call is visible")
        .contains("<dt>Visible</dt><dd>management calls are looked up in CloudTrail</dd>")
        .contains(
            "<dt>Not visible</dt><dd><ul><li>data events (S3 object reads and writes, DynamoDB"
                + " item calls, Lambda invocations, …) are not visible: they reach stint only by"
                + " the EventBridge push, which is off (activity.ingest_token)</li></ul>");
  }

  @Test
  void aUsedGrantStillSaysWhatCannotBeSeen() {
    ActivitySummary s =
        new ActivitySummary(
            1, 0, Map.of("sts.amazonaws.com", 1L), Optional.of(AT), Optional.of(AT), 1);
    Visibility console =
        Visibility.of(new Visibility.Facts(2, 1, 0, Visibility.Push.ON, List.of()));
    String html =
        ActivitySection.section("req_abc", view(s, console, List.of(), Optional.empty()), false)
            .toString();
    assertThat(html)
        .contains("<dt>Calls</dt><dd>1</dd>")
        .contains("<li>the calls of 1 credential are not visible");
  }

  @Test
  void notLookedUpYetIsSaid() {
    GrantActivity.View v =
        new GrantActivity.View(
            new ActivitySummary(0, 0, Map.of(), Optional.empty(), Optional.empty(), 1),
            WHOLE,
            List.of(),
            List.of(new GrantActivity.Source("cloudtrail_lookup", Optional.empty())),
            Optional.empty());
    assertThat(ActivitySection.section("req_abc", v, false).toString())
        .contains("<dt>Last looked up</dt><dd><span class=\"muted\">not yet</span>");
  }
}
