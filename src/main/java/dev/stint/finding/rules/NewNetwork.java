package dev.stint.finding.rules;

import dev.stint.policy.FindingRule;
import dev.stint.policy.RuleInForce;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A call from a network (an IPv4 {@code /24}, an IPv6 {@code /48}) none of the person's credentials
 * called from in the {@link History#NOVELTY} before it, whatever the profile. An AWS service
 * calling on the caller's behalf ({@code ec2.amazonaws.com}, {@code AWS Internal}) is no network
 * and never fires it. Judged only once the person has history: their first call from an address
 * still known is {@link History#LEARNING} or more before this one.
 *
 * <p>Its sentence names the new network and counts the known ones, never naming them: whoever may
 * see the one request the call was made on reads it, and it is in the audit, while the person's
 * networks come from all their credentials, on every profile.
 */
public final class NewNetwork implements Detector {
  @Override
  public FindingRule rule() {
    return FindingRule.NEW_NETWORK;
  }

  @Override
  public Optional<Hit> check(Judged judged, History history, RuleInForce.Limits limits) {
    Observed c = judged.call();
    Optional<String> network = c.network();
    Origin.Holder person = judged.origin().holder();
    Instant cutoff = c.time().minus(History.NOVELTY);
    Map<String, Span> known = history.networks().since(person, cutoff);
    Optional<Instant> since = known.values().stream().map(Span::first).min(Instant::compareTo);
    if (network.isEmpty()
        || since.isEmpty()
        || since.get().isAfter(c.time().minus(History.LEARNING))
        || known.containsKey(network.get())) {
      return Optional.empty();
    }
    return Optional.of(
        new Hit(
            rule(),
            List.of(c.ref()),
            rule().id()
                + ": "
                + Sentences.call(c)
                + " came from "
                + network.get()
                + ", a network none of "
                + person.subject()
                + "'s credentials called from in the 90 days before; they called from "
                + Sentences.count(known.size(), "other network")
                + " since "
                + since.get()
                + "."));
  }
}
