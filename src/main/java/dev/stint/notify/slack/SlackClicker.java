package dev.stint.notify.slack;

import dev.stint.access.Caller;
import dev.stint.audit.AuditEvent;
import dev.stint.config.StintConfig;
import dev.stint.identity.Directory;
import dev.stint.identity.Principal;
import dev.stint.people.StoredClaims;
import dev.stint.policy.Policy;
import dev.stint.policy.PolicyInForce;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Who clicked, for every button alike: the Slack user's link to a stint person (or, where enabled,
 * the one person seen with the Slack profile's verified email: {@link SlackIdentity}), that
 * person's identity as last verified at a web sign-in, no older than {@code
 * notify.slack.identity_max_age}, under the issuer that is still the policy's web issuer, and still
 * admitted by the directory. The click's audit event is given the person found and how.
 */
final class SlackClicker {
  private final StintConfig.SlackApp app;
  private final SlackIdentity identity;
  private final PolicyInForce policies;
  private final Directory directory;
  private final URI linkPage;
  private final Clock clock;

  /** The person a click is for, or why there is none. */
  record Clicker(Optional<Caller> caller, Optional<SlackRefusal> refusal) {
    static Clicker refused(String reason, String message) {
      return new Clicker(Optional.empty(), Optional.of(new SlackRefusal(reason, message)));
    }
  }

  SlackClicker(
      StintConfig.SlackApp app,
      SlackIdentity identity,
      PolicyInForce policies,
      Directory directory,
      URI linkPage,
      Clock clock) {
    this.app = app;
    this.identity = identity;
    this.policies = policies;
    this.directory = directory;
    this.linkPage = linkPage;
    this.clock = clock;
  }

  Future<Clicker> of(SlackClick c, AuditEvent.Builder event) {
    return identity
        .of(c.team(), c.user())
        .map(
            found -> {
              if (found.link().isEmpty()) {
                return Clicker.refused(
                    found.how(),
                    "Your Slack account is not linked to stint yet: link it at " + linkPage);
              }
              SlackLinks.Link l = found.link().get();
              event.detail("linked_by", found.how());
              event.actor(
                  l.issuer(),
                  l.subject(),
                  l.principal().getJsonObject("claims", new JsonObject()).getString("email"));
              Optional<Principal> linked = principal(l);
              Optional<Principal> admitted = linked.flatMap(directory::admit);
              Optional<SlackRefusal> refused = whyNotFor(l, linked, admitted);
              if (refused.isPresent()) {
                return new Clicker(Optional.empty(), refused);
              }
              return new Clicker(
                  Optional.of(new Caller(admitted.get(), Optional.empty(), Optional.of("Slack"))),
                  Optional.empty());
            });
  }

  /**
   * Why a link may not act now, if it may not: its identity was verified too long ago, its issuer
   * is no longer the policy's ({@code linked} is empty), or the person has left ({@code admitted},
   * the person as the directory has them, is empty). Empty means {@code admitted} is present.
   */
  private Optional<SlackRefusal> whyNotFor(
      SlackLinks.Link l, Optional<Principal> linked, Optional<Principal> admitted) {
    Instant oldest = clock.instant().minus(app.identityMaxAge());
    if (l.verifiedAt().isBefore(oldest)) {
      return Optional.of(
          new SlackRefusal(
              "identity last verified at "
                  + l.verifiedAt()
                  + ", older than notify.slack.identity_max_age",
              "stint last saw you sign in at "
                  + l.verifiedAt()
                  + ", too long ago to act for you: sign in at "
                  + linkPage
                  + " and click again"));
    }
    if (linked.isEmpty()) {
      return Optional.of(
          new SlackRefusal(
              "the linked person's issuer is no longer the policy's",
              "stint cannot act for your linked identity any more: link again at " + linkPage));
    }
    if (admitted.isEmpty()) {
      return Optional.of(
          new SlackRefusal(
              Directory.DEPROVISIONED,
              "stint no longer acts for you: the directory has deactivated or deleted you"));
    }
    return Optional.empty();
  }

  /**
   * The person as last verified, while the issuer that verified them is still the policy's web
   * issuer, at the same URL and for people: the rule a web session is held to. The directory is
   * asked after, by the caller, so that its refusal is told apart.
   */
  private Optional<Principal> principal(SlackLinks.Link l) {
    JsonObject stored = l.principal();
    Policy policy = policies.current();
    String name = stored.getString("issuer", "");
    if (policy.web().filter(w -> w.issuerName().equals(name)).isEmpty()) {
      return Optional.empty();
    }
    return StoredClaims.principal(stored, l.issuer(), l.subject(), policy::issuer, Directory.NONE);
  }
}
