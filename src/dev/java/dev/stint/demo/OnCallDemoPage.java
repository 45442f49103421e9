package dev.stint.demo;

import dev.stint.standin.PagerDutyStandIn;
import dev.stint.standin.QueryRequest;
import dev.stint.standin.StandInReply;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The demo PagerDuty's controls ({@code /demo} on the stand-in): who is on call now in each
 * schedule, and a form that puts one of the demo's people, or nobody, on call instead ({@code POST
 * /demo/oncall} with {@code schedule} and {@code who}, a login or {@code nobody}). stint sees the
 * change at its next lookup, as it would see a PagerDuty hand-over.
 */
final class OnCallDemoPage {
  static final String TITLE = "PagerDuty (demo stand-in)";
  static final String NOBODY = "nobody";

  private final PagerDutyStandIn pagerDuty;

  OnCallDemoPage(PagerDutyStandIn pagerDuty) {
    this.pagerDuty = pagerDuty;
  }

  StandInReply answer(QueryRequest call) {
    Optional<StandInReply> refused = DemoControls.refusal(call, "oncall");
    if (refused.isPresent()) {
      return refused.get();
    }
    return "GET".equals(call.method()) ? page() : change(call);
  }

  private StandInReply change(QueryRequest call) {
    String schedule = call.param("schedule");
    String who = call.param("who");
    if (schedule == null || who == null) {
      return DemoControls.answer(call, 400, "Name the schedule and who: schedule=ID&who=LOGIN.");
    }
    if (!pagerDuty.onCallNow().containsKey(schedule)) {
      return DemoControls.answer(call, 404, "There is no schedule " + schedule + ".");
    }
    if (NOBODY.equals(who)) {
      pagerDuty.nobodyOnCall(schedule);
      return DemoControls.answer(call, 200, "Nobody is on call now in " + schedule + ".");
    }
    Optional<DevUser> person = DevUser.named(who);
    if (person.isEmpty()) {
      return DemoControls.answer(
          call, 400, who + " is none of the demo's people (alice, bob, carol, or nobody).");
    }
    pagerDuty.onCall(schedule, person.get().email());
    return DemoControls.answer(
        call, 200, person.get().email() + " is on call now in " + schedule + ".");
  }

  private StandInReply page() {
    StringBuilder html = new StringBuilder("<table><tr><th>schedule</th><th>on call now</th></tr>");
    for (Map.Entry<String, List<String>> s : pagerDuty.onCallNow().entrySet()) {
      StringBuilder choices = new StringBuilder("<select name=\"who\">");
      for (DevUser u : DevUser.ALL) {
        choices.append("<option>").append(u.login()).append("</option>");
      }
      choices.append("<option>").append(NOBODY).append("</option></select> ");
      html.append("<tr><td>")
          .append(HttpForms.escape(s.getKey()))
          .append("</td><td>")
          .append(
              s.getValue().isEmpty() ? NOBODY : HttpForms.escape(String.join(", ", s.getValue())))
          .append("</td><td>")
          .append(
              DemoControls.form(
                  "oncall", choices.toString(), "Put on call", "schedule", s.getKey()))
          .append("</td></tr>");
    }
    html.append("</table><p>stint asks PagerDuty's <code>GET /oncalls</code> here with its own")
        .append(" token, and keeps an answer 30 seconds.</p>");
    return DemoControls.page(TITLE, html.toString());
  }
}
