package dev.stint.notify;

import dev.stint.access.PeopleSeen;
import dev.stint.policy.PolicyStore;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Which stint person a Slack user is: the person who linked that Slack account; or, only with
 * {@code notify.slack.email_link_within} set, the one person whose issuer (the policy's web
 * issuer) verified the Slack profile's email within that window. Two people with that email is
 * no one: stint never guesses between them.
 */
final class SlackIdentity {
  private final SlackApi slack;
  private final SlackLinks links;
  private final PeopleSeen people;
  private final PolicyStore policies;
  private final Optional<Duration> emailWithin;
  private final Clock clock;

  SlackIdentity(SlackApi slack, SlackLinks links, PeopleSeen people, PolicyStore policies,
      Optional<Duration> emailWithin, Clock clock) {
    this.slack = slack;
    this.links = links;
    this.people = people;
    this.policies = policies;
    this.emailWithin = emailWithin;
    this.clock = clock;
  }

  /** The person found and how, or why there is none (for the audit). */
  record Found(Optional<SlackLinks.Link> link, String how) {
    static Found none(String why) {
      return new Found(Optional.empty(), why);
    }
  }

  Future<Found> of(String team, String user) {
    return links.bySlackUser(team, user).compose(link -> {
      if (link.isPresent()) {
        return Future.succeededFuture(new Found(link, "link"));
      }
      if (emailWithin.isEmpty()) {
        return Future.succeededFuture(Found.none("Slack user not linked to a stint person"));
      }
      return byEmail(team, user, emailWithin.get());
    });
  }

  private Future<Found> byEmail(String team, String user, Duration within) {
    return slack.member(user).compose(member -> {
      Optional<String> email = member.filter(m -> m.teamId().equals(team))
          .flatMap(SlackApi.Member::email);
      if (email.isEmpty()) {
        return Future.succeededFuture(Found.none("Slack user not linked, and Slack gave no"
            + " profile email to match"));
      }
      return people.withEmail(email.get(), clock.instant().minus(within)).map(seen -> {
        List<PeopleSeen.Seen> web = seen.stream().filter(s -> policies.current().web()
            .filter(w -> w.issuerName().equals(s.principal().getString("issuer")))
            .isPresent()).toList();
        if (web.size() > 1) {
          return Found.none("Slack user not linked, and " + web.size() + " stint people have"
              + " the Slack profile's email");
        }
        if (web.isEmpty()) {
          return Found.none("Slack user not linked, and no one with the Slack profile's email"
              + " was seen within notify.slack.email_link_within");
        }
        PeopleSeen.Seen s = web.get(0);
        return new Found(Optional.of(new SlackLinks.Link(team, user, s.issuer(), s.subject(),
            s.principal(), s.seenAt())), "email");
      });
    });
  }
}
