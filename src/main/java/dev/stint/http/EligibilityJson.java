package dev.stint.http;

import dev.stint.directory.ActiveUsers;
import dev.stint.policy.Eligibility;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;

/** The eligibility report's page as docs/api.md gives it ({@code GET /v1/reports/eligible}). */
final class EligibilityJson {
  private EligibilityJson() {}

  static JsonObject page(EligibilityReport.Page page) {
    JsonArray users = new JsonArray();
    page.users().forEach(j -> users.add(user(j)));
    JsonArray profiles = new JsonArray();
    page.profiles().forEach(p -> profiles.add(profile(p)));
    return new JsonObject()
        .put("policy", page.policy())
        .put("users", users)
        .put("profiles", profiles)
        .put("next_cursor", page.next().orElse(null));
  }

  private static JsonObject user(EligibilityReport.Subject j) {
    ActiveUsers.User u = j.user();
    JsonObject person =
        u.match()
            .map(m -> new JsonObject().put("issuer", m.issuer()).put("subject", m.subject()))
            .orElse(null);
    return new JsonObject()
        .put("id", u.id())
        .put("user_name", u.userName())
        .put("display_name", u.displayName().orElse(null))
        .put("email", u.email().orElse(null))
        .put("groups", new JsonArray(u.groups()))
        .put("person", person)
        .put("basis", j.basis().name().toLowerCase(Locale.ROOT));
  }

  private static JsonObject profile(EligibilityReport.ProfileList p) {
    JsonArray stages = new JsonArray();
    for (EligibilityReport.StageList s : p.stages()) {
      JsonObject stage =
          new JsonObject()
              .put("name", s.name())
              .put("count", s.count())
              .put("approvers", listed(s.approvers()));
      s.escalation().ifPresent(e -> stage.put("escalation_approvers", listed(e)));
      stages.add(stage);
    }
    return new JsonObject()
        .put("name", p.name())
        .put("requesters", listed(p.requesters()))
        .put("stages", stages);
  }

  private static JsonArray listed(List<EligibilityReport.Listed> listed) {
    JsonArray out = new JsonArray();
    for (EligibilityReport.Listed l : listed) {
      JsonObject one =
          new JsonObject()
              .put("user", l.userId())
              .put("answer", l.judged().answer().name().toLowerCase(Locale.ROOT));
      if (l.judged().answer() == Eligibility.Answer.CONDITIONAL) {
        one.put("facts", new JsonArray(l.judged().factNames()));
      }
      out.add(one);
    }
    return out;
  }
}
