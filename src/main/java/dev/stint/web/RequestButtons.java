package dev.stint.web;

import dev.stint.access.AccessRequest;
import dev.stint.access.AccessRequest.RequestState;
import dev.stint.access.Caller;
import dev.stint.access.Requests;
import dev.stint.issuance.ConsoleService;
import dev.stint.policy.RequestRights;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the visitor may do to a request now, as the buttons on its page. The request's rights decide
 * which are offered; the services check again on submit.
 */
final class RequestButtons {
  private final Requests requests;
  private final ConsoleService console;
  private final Clock clock;

  RequestButtons(Requests requests, ConsoleService console, Clock clock) {
    this.requests = requests;
    this.console = console;
    this.clock = clock;
  }

  /**
   * Open console comes before Revoke, and Revoke only links to its confirmation: the trial found a
   * one-click revoke sitting where people reached for the console. The console opens in a new tab,
   * so stint stays open beside it; "noopener" and not "noreferrer": with "noreferrer" Chromium
   * sends "Origin: null" on the post, which the Origin check refuses, and the Referrer-Policy
   * header already keeps stint's address from AWS.
   */
  Html of(Visitor v, Caller caller, AccessRequest r) {
    Instant now = clock.instant();
    String state = r.shownStateAt(now);
    RequestRights may = requests.rights(caller, r);
    boolean mine = may.isRequester();
    boolean pending = r.state() == RequestState.PENDING;
    List<Html> forms = new ArrayList<>();
    if (mine && "active".equals(state) && console.offers(r.profile())) {
      forms.add(
          Html.of(
              """
          <form method="post" action="/ui/requests/{}/console" class="inline"
          target="_blank" rel="noopener">{}
          <button type="submit">{}</button></form>""",
              r.id(),
              Layout.csrfField(v),
              console.opensPortal(r.profile()) ? "Open the AWS access portal" : "Open console"));
    }
    Optional<Html> decided = RequestActions.decided(r.votes(), caller.person());
    if (decided.isPresent()) {
      forms.add(decided.get());
    } else if (pending) {
      forms.add(decision(v, r, may));
    }
    if (pending && may.mayCancel().allowed()) {
      forms.add(action(v, r, "cancel", "Cancel request"));
    }
    if (live(r, now) && may.mayRevoke().allowed()) {
      forms.add(RequestActions.revokeLink(r));
    }
    if (r.grant().map(g -> g.needsReview()).orElse(false) && may.mayReview().allowed()) {
      forms.add(action(v, r, "review", "Mark break-glass use reviewed"));
    }
    if (pending && mine) {
      forms.add(Html.of("<p class=\"muted\">You cannot approve your own request.</p>"));
    }
    return Html.each(forms, f -> f);
  }

  /** A grant a revoke can still end: approved, and not expired yet (active or scheduled). */
  static boolean live(AccessRequest r, Instant now) {
    return r.state() == RequestState.APPROVED && !"expired".equals(r.shownStateAt(now));
  }

  /** For a step-up profile: decide after signing in again (the IdP is asked for a fresh login). */
  static Html freshSignIn(AccessRequest r) {
    return Html.of(
        "<a class=\"button\" href=\"/ui/login?fresh=1&amp;return_to=/ui/requests/{}\">"
            + "Sign in again to decide</a>",
        r.id());
  }

  /** A pending request the visitor has not decided: the one decision form they may use. */
  private static Html decision(Visitor v, AccessRequest r, RequestRights may) {
    boolean approve = may.mayApprove().allowed();
    boolean deny = may.mayDeny().allowed();
    Html form =
        approve || deny
            ? RequestActions.decision(v, "/ui/requests/" + r.id(), r.id(), approve, deny)
            : Html.empty();
    return may.stepUpNeeded().isPresent() ? Html.of("{}{}", form, freshSignIn(r)) : form;
  }

  private static Html action(Visitor v, AccessRequest r, String action, String label) {
    return Html.of(
        """
        <form method="post" action="/ui/requests/{}/{}" class="inline">{}
        <button type="submit" class="{}">{}</button></form>""",
        r.id(),
        action,
        Layout.csrfField(v),
        action,
        label);
  }
}
