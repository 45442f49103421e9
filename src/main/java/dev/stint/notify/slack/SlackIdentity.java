package dev.stint.notify.slack;

import dev.stint.people.PeopleSeen;
import dev.stint.policy.PolicyInForce;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Which stint person a Slack user is: the person who linked that Slack account; or, only with
 * {@code notify.slack.email_link_within} set, the one person whose issuer (the policy's web issuer)
 * verified the Slack profile's email within that window. Two people with that email is no one:
 * stint never guesses between them.
 */
final class SlackIdentity {
  private final SlackApi slack;
  private final SlackLinks links;
  private final PeopleSeen people;
  private final PolicyInForce policies;
  private final Optional<Duration> emailWithin;
  private final Optional<String> team;
  private final Clock clock;

  /**
   * {@code team}: the workspace stint's app is installed in ({@code notify.slack.team_id}); an
   * email is matched only for a full member of it, never for a guest or a Slack Connect member from
   * elsewhere, whose profile email someone else's administrator sets.
   */
  SlackIdentity(
      SlackApi slack,
      SlackLinks links,
      PeopleSeen people,
      PolicyInForce policies,
      Optional<Duration> emailWithin,
      Optional<String> team,
      Clock clock) {
    this.slack = slack;
    this.links = links;
    this.people = people;
    this.policies = policies;
    this.emailWithin = emailWithin;
    this.team = team;
    this.clock = clock;
  }

  /** The person found and how, or why there is none (for the audit). */
  record Found(Optional<SlackLinks.Link> link, String how) {
    static Found none(String why) {
      return new Found(Optional.empty(), why);
    }
  }

  Future<Found> of(String team, String user) {
    return links
        .bySlackUser(team, user)
        .compose(
            link -> {
              if (link.isPresent()) {
                return Future.succeededFuture(new Found(link, "link"));
              }
              if (emailWithin.isEmpty() || this.team.isEmpty()) {
                return Future.succeededFuture(
                    Found.none("Slack user not linked to a stint person"));
              }
              if (!this.team.get().equals(team)) {
                return Future.succeededFuture(
                    Found.none(
                        "Slack user not linked, and not of the"
                            + " workspace notify.slack.team_id names, so not matched by email"));
              }
              return byEmail(team, user, emailWithin.get());
            });
  }

  /**
   * A Slack user matched by the confirmed email of a full member of the app's workspace, to the one
   * person stint saw sign in to the pages with it lately.
   */
  private Future<Found> byEmail(String team, String user, Duration within) {
    return slack
        .member(user)
        .compose(
            member -> {
              if (member.isEmpty()
                  || !member.get().teamId().equals(team)
                  || !member.get().fullMemberConfirmedEmail()) {
                return Future.succeededFuture(
                    Found.none(
                        "Slack user not linked, and not a full member"
                            + " of the workspace with a confirmed email (a guest, or from another"
                            + " organisation), so not matched by email"));
              }
              Optional<String> email = member.get().email();
              if (email.isEmpty()) {
                return Future.succeededFuture(
                    Found.none("Slack user not linked, and Slack gave no profile email to match"));
              }
              return people
                  .withEmail(email.get(), clock.instant().minus(within))
                  .map(seen -> onePerson(team, user, signedInToThePages(seen)));
            });
  }

  /** Those seen through the pages' issuer: a person matched by email must have signed in there. */
  private List<PeopleSeen.Seen> signedInToThePages(List<PeopleSeen.Seen> seen) {
    return seen.stream()
        .filter(
            s ->
                policies
                    .current()
                    .web()
                    .filter(w -> w.issuerName().equals(s.principal().getString("issuer")))
                    .isPresent())
        .toList();
  }

  private static Found onePerson(String team, String user, List<PeopleSeen.Seen> web) {
    if (web.size() > 1) {
      return Found.none(
          "Slack user not linked, and "
              + web.size()
              + " stint people have"
              + " the Slack profile's email");
    }
    if (web.isEmpty()) {
      return Found.none(
          "Slack user not linked, and no one with the Slack profile's email"
              + " was seen within notify.slack.email_link_within");
    }
    PeopleSeen.Seen s = web.get(0);
    return new Found(
        Optional.of(
            new SlackLinks.Link(team, user, s.issuer(), s.subject(), s.principal(), s.seenAt())),
        "email");
  }
}
