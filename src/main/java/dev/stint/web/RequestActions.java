package dev.stint.web;

import dev.stint.access.AccessRequest;
import dev.stint.access.Grant;
import dev.stint.access.Vote;
import dev.stint.common.TextLimits;
import dev.stint.identity.Person;
import java.util.List;
import java.util.Optional;

/**
 * The forms that act on a request or an extension: one decision form (one comment, an Approve and a
 * Deny button, so the comment always goes with the button pressed), what the visitor already
 * decided in its place, and the revoke confirmation. The access and extension services check every
 * right again on submit; these only choose what to offer.
 */
final class RequestActions {
  private RequestActions() {}

  /**
   * One form for both decisions: {@code base} is the path the form posts {@code /decide} under, and
   * the pressed button's {@code decision} says which. Either button may be withheld.
   */
  static Html decision(Visitor v, String base, String id, boolean approve, boolean deny) {
    return Html.of(
        """
        <form method="post" action="{}/decide" class="decide">{}
        <label for="c-{}">Comment (optional, goes with the button you press)</label>
        <textarea id="c-{}" name="comment" rows="2" maxlength="{}"></textarea>
        <div class="buttons">{}{}</div></form>""",
        base,
        Layout.csrfField(v),
        id,
        id,
        TextLimits.MAX_TEXT,
        Html.when(
            approve,
            () ->
                Html.of(
                    "<button type=\"submit\" name=\"decision\" value=\"approve\" class=\"approve\">"
                        + "Approve</button>")),
        Html.when(
            deny,
            () ->
                Html.of(
                    "<button type=\"submit\" name=\"decision\" value=\"deny\" class=\"deny\">"
                        + "Deny</button>")));
  }

  /** The visitor's own decision among {@code votes}, said in place of the buttons. */
  static Optional<Html> decided(List<Vote> votes, Person me) {
    return votes.stream()
        .filter(vote -> vote.approver().mightBe(me))
        .findFirst()
        .map(
            vote ->
                Html.of(
                    "<p class=\"decided\">You {} at {}{}</p>",
                    vote.decision() == Vote.Decision.APPROVE ? "approved" : "denied",
                    Show.time(vote.at()),
                    vote.comment().map(c -> Html.of(": <q>{}</q>", c)).orElse(Html.empty())));
  }

  /** On the request page: a link to the confirmation, never the revoke itself. */
  static Html revokeLink(AccessRequest r) {
    return Html.of(
        "<a class=\"button revoke\" href=\"/ui/requests/{}/revoke\">Revoke…</a>", r.id());
  }

  /**
   * The confirmation step (works without JavaScript): what the revoke ends, and the form that does
   * it, with an optional reason recorded as the revoke's comment.
   */
  static Html confirmRevoke(Visitor v, AccessRequest r, Grant g, Html issued) {
    return Html.of(
        """
        <p>Revoking ends grant <strong class="id">{}</strong> of <strong>{}</strong> for {} now,
        instead of at {}. Credentials issued on it stop working; it cannot be undone (a new request
        is needed for more access).</p>
        {}
        <form method="post" action="/ui/requests/{}/revoke" class="stack">{}
        <label for="revoke-reason">Reason (optional, recorded with the revoke)</label>
        <textarea id="revoke-reason" name="comment" rows="2" maxlength="{}"></textarea>
        <div class="buttons"><button type="submit" class="revoke">Revoke now</button>
        <a href="/ui/requests/{}">Keep the grant</a></div></form>""",
        g.id(),
        r.profile(),
        Show.person(g.holder()),
        Show.time(g.endsAt()),
        issued,
        r.id(),
        Layout.csrfField(v),
        TextLimits.MAX_TEXT,
        r.id());
  }
}
