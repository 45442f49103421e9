package dev.stint.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.activity.ActivityEvent;
import dev.stint.activity.ActivitySummary;
import dev.stint.activity.GrantActivity;
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

  static GrantActivity.View view(
      ActivitySummary s, List<ActivityEvent> events, Optional<String> next) {
    return new GrantActivity.View(
        s, events, List.of(new GrantActivity.Source("cloudtrail_lookup", Optional.of(AT))), next);
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
  void unusedSaysWhy() {
    String none =
        ActivitySection.section(
                "req_abc",
                view(
                    new ActivitySummary(0, 0, Map.of(), Optional.empty(), Optional.empty(), 0),
                    List.of(),
                    Optional.empty()),
                false)
            .toString();
    assertThat(none)
        .contains("<strong>Not used</strong>: no credential")
        .doesNotContain("<table")
        .doesNotContain("<dt>Calls</dt>");
    String quiet =
        ActivitySection.section(
                "req_abc",
                view(
                    new ActivitySummary(0, 0, Map.of(), Optional.empty(), Optional.empty(), 2),
                    List.of(),
                    Optional.empty()),
                false)
            .toString();
    assertThat(quiet).contains("<strong>Not used</strong>: no call made");
  }

  @Test
  void notLookedUpYetIsSaid() {
    GrantActivity.View v =
        new GrantActivity.View(
            new ActivitySummary(0, 0, Map.of(), Optional.empty(), Optional.empty(), 1),
            List.of(),
            List.of(new GrantActivity.Source("cloudtrail_lookup", Optional.empty())),
            Optional.empty());
    assertThat(ActivitySection.section("req_abc", v, false).toString())
        .contains("<dt>Last looked up</dt><dd><span class=\"muted\">not yet</span>");
  }
}
