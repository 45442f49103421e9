package dev.stint.identity;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Whether stint can sign anyone in, judged from what the fetches of its issuers' keys came to
 * ({@link JwksCache#reach}), never by fetching: readiness answers at once however slow an IdP is.
 *
 * <p>Not ready while none of the policy's issuers for people has been reached since boot (in a
 * policy for CI alone, none of its CI issuers): no token of theirs can then be verified, and a load
 * balancer should send nothing here. One reached is enough. Keys once fetched keep verifying while
 * their IdP is down, so an outage of an IdP that answered before never makes a replica not ready:
 * were it otherwise, one IdP blip would take every replica out of the load balancer at once. What
 * does not make the server unready is still named, as a warning: an issuer never reached beside one
 * that was, and one whose keys are held but whose last refresh failed.
 */
public record IssuerReadiness(Optional<String> notReady, Optional<String> warning) {

  /**
   * Who hears the verdict: the log gets why each fetch failed; {@code /readyz}, which anyone may
   * ask, only that it failed, since a fetch's error can name internal hosts and addresses.
   */
  public enum Audience {
    LOG,
    PUBLIC
  }

  /** Judges {@code issuers} for the log, with each failed fetch's error. */
  public static IssuerReadiness judge(
      Collection<? extends TrustedIssuer> issuers, Function<String, IssuerReach> reach) {
    return judge(issuers, reach, Audience.LOG);
  }

  /** Judges {@code issuers}, the policy's in force, by what {@code reach} says of each URL. */
  public static IssuerReadiness judge(
      Collection<? extends TrustedIssuer> issuers,
      Function<String, IssuerReach> reach,
      Audience audience) {
    if (issuers.isEmpty()) {
      return new IssuerReadiness(
          Optional.empty(), Optional.of("the policy names no issuer: nobody can sign in"));
    }
    List<TrustedIssuer> decisive = new ArrayList<>();
    for (TrustedIssuer issuer : issuers) {
      if (issuer.uses().contains(IssuerUse.PEOPLE)) {
        decisive.add(issuer);
      }
    }
    boolean forPeople = !decisive.isEmpty();
    if (!forPeople) {
      decisive.addAll(issuers);
    }
    boolean anyHeld = decisive.stream().anyMatch(i -> reach.apply(i.issuerUrl()).held());
    List<String> problems = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    for (TrustedIssuer issuer : issuers) {
      IssuerReach r = reach.apply(issuer.issuerUrl());
      if (!anyHeld && decisive.contains(issuer)) {
        problems.add(describe(issuer, r, audience));
      } else if (!r.held() || r.failing()) {
        warnings.add(describe(issuer, r, audience));
      }
    }
    Optional<String> notReady =
        problems.isEmpty()
            ? Optional.empty()
            : Optional.of(
                (forPeople
                        ? "no identity provider for people can be reached: "
                        : "no CI issuer can be reached: ")
                    + String.join("; ", problems));
    return new IssuerReadiness(
        notReady, warnings.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", warnings)));
  }

  public boolean ready() {
    return notReady.isEmpty();
  }

  /** {@code corp (https://login.example.com): why}, as readiness and the log name an issuer. */
  static String describe(TrustedIssuer issuer, IssuerReach reach, Audience audience) {
    String where =
        issuer.name()
            + " ("
            + issuer.issuerUrl()
            + (PlaceholderIssuers.isPlaceholder(issuer.issuerUrl())
                ? ", a placeholder: no identity provider is there"
                : "")
            + "): ";
    String why =
        audience == Audience.LOG
            ? reach.failure().orElse("unknown")
            : "its keys could not be fetched (the server's log says why)";
    if (!reach.held()) {
      return where + (reach.failure().isEmpty() ? "not reached yet" : why);
    }
    return where
        + "keys fetched at "
        + reach.fetchedAt().orElseThrow()
        + " still verify; fetching again failed at "
        + reach.failedAt().orElseThrow()
        + ": "
        + why;
  }
}
