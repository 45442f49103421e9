package dev.stint.notify.slack;

import dev.stint.access.AccessRequest;
import dev.stint.access.Caller;
import dev.stint.access.Decisions;
import dev.stint.audit.AuditEvent;
import dev.stint.finding.Finding;
import dev.stint.finding.FindingLookup;
import dev.stint.notify.FindingNotice;
import dev.stint.notify.PageLinks;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A click on a finding message's Revoke button, once {@link SlackInteractions} has verified the
 * call and found the person ({@link SlackClicker}): the finding is read as it was recorded, and
 * what its button ends ({@link SlackFindingMessage.Target}) is revoked by the same use case as the
 * web page and the API, for that person, so the policy's revoke rule is judged on them (the holder,
 * the profile's approvers, the admins) and a revoke of one's own is paced as anywhere else; a
 * refusal is the use case's, audited there and in the click's {@code slack.interaction}. Once
 * revoked, every copy of the message says who revoked it and loses its button (failing that changes
 * nothing).
 */
public final class SlackFindingClicks {
  private static final Logger LOG = LoggerFactory.getLogger(SlackFindingClicks.class);

  /** A task lease's revoke, for a person: the lease service's own, which judges who may. */
  @FunctionalInterface
  public interface LeaseRevokes {
    Future<Void> revoke(Caller caller, String leaseId, Optional<String> comment);
  }

  /** What a Revoke click reads and ends. */
  public record Parts(
      FindingLookup findings,
      Decisions decisions,
      LeaseRevokes leases,
      Function<String, Future<Optional<AccessRequest>>> requests,
      PageLinks pages) {}

  private final Parts parts;
  private final SlackCopies copies;
  private final Clock clock;

  public SlackFindingClicks(SlackApi slack, SlackPosts posts, Parts parts, Clock clock) {
    this.parts = parts;
    this.copies = new SlackCopies(slack, posts, clock);
    this.clock = clock;
  }

  /** Revokes what finding {@code c.value()} names for {@code caller}: empty, or why not. */
  Future<Optional<SlackRefusal>> revoke(SlackClick c, Caller caller, AuditEvent.Builder event) {
    return parts
        .findings()
        .one(c.value())
        .compose(
            found -> {
              if (found.isEmpty()) {
                return refused("no finding " + c.value());
              }
              Finding f = found.get();
              event
                  .requestId(f.origin().requestId())
                  .grantId(f.origin().grantId())
                  .profile(f.origin().profile());
              SlackFindingMessage.Target target = SlackFindingMessage.Target.of(f);
              Optional<String> comment =
                  Optional.of("from Slack, for finding " + f.id() + " (" + f.rule().id() + ")");
              Future<Void> revoked =
                  switch (target) {
                    case NONE -> null;
                    case LEASE -> {
                      String lease = f.origin().leaseId().orElseThrow();
                      event.detail("lease_id", lease);
                      yield parts.leases().revoke(caller, lease, comment);
                    }
                    case GRANT ->
                        parts
                            .decisions()
                            .revoke(caller, f.origin().requestId(), comment)
                            .mapEmpty();
                  };
              if (revoked == null) {
                return refused("stint revoked the grant of " + f.origin().requestId() + " itself");
              }
              return revoked.map(
                  x -> {
                    updated(f, caller, target);
                    return Optional.<SlackRefusal>empty();
                  });
            });
  }

  private static Future<Optional<SlackRefusal>> refused(String why) {
    return Future.succeededFuture(Optional.of(new SlackRefusal(why, "stint refused: " + why)));
  }

  /** Every copy of the message, showing the revoke; in the background. */
  private void updated(Finding f, Caller caller, SlackFindingMessage.Target target) {
    SlackFindingMessage.Revoked revoked =
        new SlackFindingMessage.Revoked(caller.person(), clock.instant(), target);
    FindingNotice.of(f, parts.requests(), parts.pages())
        .compose(n -> copies.update(f.id(), SlackFindingMessage.render(n, Optional.of(revoked))))
        .onFailure(e -> LOG.warn("updating finding {}'s Slack messages: {}", f.id(), e.toString()));
  }
}
