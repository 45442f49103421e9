package dev.stint.finding.rules;

import dev.stint.policy.FindingRule;
import dev.stint.policy.RuleInForce;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A call from a network (an IPv4 {@code /24}, an IPv6 {@code /48}) none of the person's credentials
 * called from before, whatever the profile. An AWS service calling on the caller's behalf ({@code
 * ec2.amazonaws.com}, {@code AWS Internal}) is no network and never fires it. Judged only once the
 * person has history: their first call from an address is {@link History#LEARNING} or more before
 * this one.
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
    Optional<Instant> since = history.personSince(person);
    if (network.isEmpty()
        || since.isEmpty()
        || since.get().isAfter(c.time().minus(History.LEARNING))
        || history.networks(person).containsKey(network.get())) {
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
                + "'s credentials called from before; they called from "
                + Sentences.some(history.networks(person).keySet())
                + " since "
                + since.get()
                + "."));
  }
}
