package dev.stint.policy;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The validated policy of one directory, immutable. Maps keep file order. {@code auditors} and
 * {@code admins} absent means nobody. {@code findings} is the top level's {@code findings:} block
 * ({@link Findings#NONE} when no file has one). {@code contentHash} is the SHA-256 of the files
 * read.
 */
public record Policy(
    Optional<Condition> auditors,
    Optional<Condition> admins,
    Map<String, IssuerConfig> issuers,
    Map<String, Profile> profiles,
    List<CiRule> ci,
    Optional<LoginConfig> login,
    Optional<WebConfig> web,
    Map<String, Bundle> bundles,
    Findings findings,
    List<Path> files,
    String contentHash) {

  public Policy {
    issuers = Collections.unmodifiableMap(new LinkedHashMap<>(issuers));
    profiles = Collections.unmodifiableMap(new LinkedHashMap<>(profiles));
    ci = List.copyOf(ci);
    bundles = Collections.unmodifiableMap(new LinkedHashMap<>(bundles));
    Objects.requireNonNull(findings, "findings");
    files = List.copyOf(files);
  }

  public Optional<Profile> profile(String name) {
    return Optional.ofNullable(profiles.get(name));
  }

  /** What finding rule {@code rule} does on {@code profile} (a profile gone: the top level's). */
  public RuleInForce findingRule(FindingRule rule, String profile) {
    return findings.inForce(rule, profile(profile).map(Profile::findings).orElse(Findings.NONE));
  }

  public Optional<Bundle> bundle(String name) {
    return Optional.ofNullable(bundles.get(name));
  }

  public Optional<IssuerConfig> issuer(String name) {
    return Optional.ofNullable(issuers.get(name));
  }

  /** The issuer whose exact URL is {@code iss}. */
  public Optional<IssuerConfig> issuerByUrl(String iss) {
    return issuers.values().stream().filter(i -> i.issuerUrl().equals(iss)).findFirst();
  }
}
