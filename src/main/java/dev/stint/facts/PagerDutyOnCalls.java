package dev.stint.facts;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Who is on call now in a PagerDuty schedule, from PagerDuty's REST API: {@code GET /oncalls} for
 * the schedule with its users included, every page followed, the email of each on-call's user at
 * any escalation level. Without a time range PagerDuty answers for now.
 *
 * <p>Nobody on call is an answer: the empty set. {@code /oncalls} only filters by schedule, so it
 * answers an unknown schedule with an empty list as well; an empty answer is therefore checked with
 * {@code GET /schedules/ID}, and a schedule PagerDuty does not know fails the lookup (a typo in a
 * policy must not read as "nobody on call").
 */
public final class PagerDutyOnCalls implements OnCallDirectory {
  static final String NAME = "PagerDuty";
  static final String ACCEPT = "application/vnd.pagerduty+json;version=2";

  /** PagerDuty's largest page. */
  static final int PAGE = 100;

  /** Pages followed at most: an answer that goes on past them is refused, not trusted. */
  static final int MAX_PAGES = 50;

  /** PagerDuty's object ids, as policy conditions accept them. */
  private static final Pattern SCHEDULE_ID = Pattern.compile("[A-Z0-9]{2,20}");

  private final OutsideApi api;
  private final LookupCache<Set<String>> cache;

  /**
   * {@code url}: PagerDuty's REST API ({@code https://api.pagerduty.com}, or http to this machine
   * for a stand-in); {@code token}: a REST API key, sent as {@code Token token=…}.
   */
  public PagerDutyOnCalls(WebClient web, URI url, String token, LookupSettings settings) {
    this.api =
        new OutsideApi(
            web, new OutsideApi.Endpoint(NAME, url, "Token token=" + token, ACCEPT), settings);
    this.cache = new LookupCache<>(NAME, settings);
  }

  @Override
  public Future<Set<String>> onCall(String scheduleId) {
    if (scheduleId == null || !SCHEDULE_ID.matcher(scheduleId).matches()) {
      return Future.failedFuture(new FactLookupException("not a PagerDuty schedule id"));
    }
    return cache.get(scheduleId, () -> api.within(lookUp(scheduleId)));
  }

  private Future<Set<String>> lookUp(String scheduleId) {
    return page(scheduleId, 0, 0, new TreeSet<>())
        .compose(
            emails ->
                emails.isEmpty() ? known(scheduleId).map(emails) : Future.succeededFuture(emails));
  }

  /** The page at {@code offset}, and the ones after it while PagerDuty says there are more. */
  private Future<Set<String>> page(String scheduleId, int offset, int pages, Set<String> emails) {
    List<Map.Entry<String, String>> query =
        List.of(
            Map.entry("schedule_ids[]", scheduleId),
            Map.entry("include[]", "users"),
            Map.entry("limit", Integer.toString(PAGE)),
            Map.entry("offset", Integer.toString(offset)));
    return api.get("/oncalls", query)
        .compose(
            answer -> {
              if (answer.status() != 200) {
                return Future.failedFuture(api.refused(answer));
              }
              int read;
              boolean more;
              try {
                JsonObject body = JsonShapes.object(answer.json(), "body");
                read = emails(JsonShapes.array(body.getValue("oncalls"), "/oncalls"), emails);
                more = JsonShapes.flag(body.getValue("more"), "/more");
              } catch (IllegalArgumentException e) {
                return Future.failedFuture(api.malformed(answer.status(), e.getMessage()));
              }
              if (!more) {
                return Future.succeededFuture(Set.copyOf(emails));
              }
              if (read == 0 || pages + 1 >= MAX_PAGES) {
                return Future.failedFuture(
                    api.malformed(answer.status(), "more pages than it should have"));
              }
              return page(scheduleId, offset + read, pages + 1, emails);
            });
  }

  /** Adds each on-call's user's email, lower-cased; returns how many on-calls there were. */
  private static int emails(JsonArray oncalls, Set<String> emails) {
    for (int i = 0; i < oncalls.size(); i++) {
      String where = "/oncalls/" + i;
      JsonObject oncall = JsonShapes.object(oncalls.getValue(i), where);
      JsonObject user = JsonShapes.object(oncall.getValue("user"), where + "/user");
      emails.add(
          JsonShapes.text(user.getValue("email"), where + "/user/email").toLowerCase(Locale.ROOT));
    }
    return oncalls.size();
  }

  /** Succeeds when PagerDuty has the schedule; a 404 is an unknown schedule. */
  private Future<Void> known(String scheduleId) {
    return api.get("/schedules/" + scheduleId, List.of())
        .compose(
            answer ->
                switch (answer.status()) {
                  case 200 -> Future.succeededFuture();
                  case 404 ->
                      Future.failedFuture(
                          new FactLookupException(
                              NAME + " answered 404: it has no schedule " + scheduleId));
                  default -> Future.failedFuture(api.refused(answer));
                });
  }

  @Override
  public String toString() {
    return "PagerDutyOnCalls[" + api + "]";
  }
}
