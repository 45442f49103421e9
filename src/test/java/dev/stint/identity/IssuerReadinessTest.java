package dev.stint.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.policy.IssuerConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * When the issuers make the server not ready, and what is only a warning: one case per rule of
 * {@link IssuerReadiness}.
 */
class IssuerReadinessTest {
  static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
  static final Instant T1 = Instant.parse("2026-11-28T10:15:00Z");
  static final IssuerConfig CORP = people("corp", "https://idp.corp.test");
  static final IssuerConfig PARTNER = people("partner", "https://idp.partner.test");
  static final IssuerConfig PLACEHOLDER = people("corp", "https://login.example.com");
  static final IssuerConfig GITHUB = ci("github", "https://token.actions.githubusercontent.com");

  static final IssuerReach HELD =
      new IssuerReach(Optional.of(T0), Optional.empty(), Optional.empty());
  static final IssuerReach REFUSED =
      new IssuerReach(Optional.empty(), Optional.of(T1), Optional.of("Connection refused"));
  static final IssuerReach STALE =
      new IssuerReach(Optional.of(T0), Optional.of(T1), Optional.of("answered 503"));

  static IssuerConfig people(String name, String url) {
    return IssuerConfig.forPeople(
        name, url, "stint", "groups", List.of("RS256"), Duration.ofHours(1));
  }

  static IssuerConfig ci(String name, String url) {
    return new IssuerConfig(
        name,
        url,
        "stint",
        "groups",
        List.of("RS256"),
        Duration.ofHours(1),
        Optional.empty(),
        Set.of(IssuerUse.CI));
  }

  static IssuerReadiness judge(List<IssuerConfig> issuers, Map<String, IssuerReach> reach) {
    return IssuerReadiness.judge(issuers, url -> reach.getOrDefault(url, IssuerReach.UNTRIED));
  }

  @Test
  void aPeopleIssuerNeverReachedIsNotReadyNamingItsUrlAndWhy() {
    IssuerReadiness verdict = judge(List.of(CORP), Map.of(CORP.issuerUrl(), REFUSED));
    assertThat(verdict.ready()).isFalse();
    assertThat(verdict.notReady())
        .hasValue(
            "no identity provider for people can be reached: corp (https://idp.corp.test):"
                + " Connection refused");
    assertThat(verdict.warning()).isEmpty();
  }

  @Test
  void anIssuerNotAskedYetIsNotReady() {
    IssuerReadiness verdict = judge(List.of(CORP), Map.of());
    assertThat(verdict.notReady())
        .hasValueSatisfying(m -> assertThat(m).endsWith("not reached yet"));
  }

  @Test
  void aPlaceholderIsSaidToBeOne() {
    IssuerReadiness verdict = judge(List.of(PLACEHOLDER, GITHUB), Map.of());
    assertThat(verdict.notReady())
        .hasValueSatisfying(
            m ->
                assertThat(m)
                    .contains(
                        "corp (https://login.example.com, a placeholder: no identity provider")
                    .doesNotContain("github"));
    assertThat(verdict.warning())
        .hasValue("github (https://token.actions.githubusercontent.com): not reached yet");
  }

  @Test
  void aReachedPeopleIssuerIsReadyWithNothingToSay() {
    IssuerReadiness verdict =
        judge(List.of(CORP, GITHUB), Map.of(CORP.issuerUrl(), HELD, GITHUB.issuerUrl(), HELD));
    assertThat(verdict.ready()).isTrue();
    assertThat(verdict.warning()).isEmpty();
  }

  @Test
  void oneReachedPeopleIssuerIsEnoughAndTheOtherIsAWarning() {
    IssuerReadiness verdict =
        judge(List.of(CORP, PARTNER), Map.of(CORP.issuerUrl(), REFUSED, PARTNER.issuerUrl(), HELD));
    assertThat(verdict.ready()).isTrue();
    assertThat(verdict.warning()).hasValue("corp (https://idp.corp.test): Connection refused");
  }

  @Test
  void aCiIssuerOutOfReachNeverMakesAServerForPeopleUnready() {
    IssuerReadiness verdict =
        judge(List.of(CORP, GITHUB), Map.of(CORP.issuerUrl(), HELD, GITHUB.issuerUrl(), REFUSED));
    assertThat(verdict.ready()).isTrue();
    assertThat(verdict.warning()).hasValueSatisfying(w -> assertThat(w).startsWith("github ("));
  }

  @Test
  void anIssuerDownWhoseKeysAreHeldIsAWarningNotAnOutage() {
    IssuerReadiness verdict = judge(List.of(CORP), Map.of(CORP.issuerUrl(), STALE));
    assertThat(verdict.ready()).isTrue();
    assertThat(verdict.warning())
        .hasValue(
            "corp (https://idp.corp.test): keys fetched at 2026-11-28T10:00:00Z still verify;"
                + " fetching again failed at 2026-11-28T10:15:00Z: answered 503");
  }

  @Test
  void aPolicyForCiAloneNeedsOneCiIssuer() {
    assertThat(judge(List.of(GITHUB), Map.of(GITHUB.issuerUrl(), REFUSED)).notReady())
        .hasValueSatisfying(m -> assertThat(m).startsWith("no CI issuer can be reached: github ("));
    assertThat(judge(List.of(GITHUB), Map.of(GITHUB.issuerUrl(), HELD)).ready()).isTrue();
  }

  @Test
  void aPolicyWithoutIssuersIsReadyAndSaysNobodyCanSignIn() {
    IssuerReadiness verdict = judge(List.of(), Map.of());
    assertThat(verdict.ready()).isTrue();
    assertThat(verdict.warning()).hasValue("the policy names no issuer: nobody can sign in");
  }
}
