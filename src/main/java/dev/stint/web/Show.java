package dev.stint.web;

import dev.stint.access.AccessRequest;
import dev.stint.common.Durations;
import dev.stint.identity.Person;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Function;

/** Small fragments the pages share: times, states, people, request rows. */
final class Show {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  private Show() {}

  static Html time(Instant t) {
    return Html.of("<time datetime=\"{}\">{}</time>", t.toString(), TIME.format(t));
  }

  static Html state(AccessRequest r, Instant now) {
    String s = r.shownStateAt(now);
    return Html.of("<span class=\"state state-{}\">{}</span>", s, s.replace('_', ' '));
  }

  static String person(Person p) {
    return p.display();
  }

  static String duration(Duration d) {
    return Durations.format(d);
  }

  /** A table of requests; {@code actions} adds a last cell per row (may be empty). */
  static Html requests(
      List<AccessRequest> requests,
      Instant now,
      Function<AccessRequest, Html> actions,
      String empty) {
    return requests(requests, now, actions, empty, AccessRequest::profile);
  }

  /** As above, naming each row's profile(s) with {@code profiles} (a bundle names all of its). */
  static Html requests(
      List<AccessRequest> requests,
      Instant now,
      Function<AccessRequest, Html> actions,
      String empty,
      Function<AccessRequest, String> profiles) {
    if (requests.isEmpty()) {
      return Html.of("<p class=\"muted\">{}</p>", empty);
    }
    return Html.of(
        """
        <div class="scroll"><table class="cards">
        <thead><tr><th scope="col">Request</th><th scope="col">Profile</th><th scope="col">Requester</th>
        <th scope="col">Duration</th><th scope="col">Reason</th><th scope="col">State</th><th scope="col">Created</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
        <tbody>{}</tbody></table></div>""",
        Html.each(
            requests,
            r ->
                Html.of(
                    """
            <tr><td class="id" data-label="Request"><a href="/ui/requests/{}">{}</a></td>
            <td data-label="Profile">{}</td><td data-label="Requester">{}</td>
            <td data-label="Duration">{}</td><td class="reason" data-label="Reason">{}</td>
            <td data-label="State">{}{}</td><td data-label="Created">{}</td>
            <td class="actions">{}</td></tr>""",
                    r.id(),
                    r.id(),
                    profiles.apply(r),
                    person(r.requester()),
                    duration(r.duration()),
                    r.reason(),
                    state(r, now),
                    Html.when(
                        r.breakGlass(), () -> Html.of(" <span class=\"badge\">break-glass</span>")),
                    time(r.createdAt()),
                    actions.apply(r))));
  }
}
