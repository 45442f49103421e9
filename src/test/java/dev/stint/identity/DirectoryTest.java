package dev.stint.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What admitting a caller through the directory does to them, for each standing. */
class DirectoryTest {
  static final Principal TOKEN =
      new Principal(
          "corp",
          "https://idp.corp.example",
          "ada",
          Optional.of("ada@corp.example"),
          List.of("admins-from-an-old-token"),
          Map.of("groups", List.of("admins-from-an-old-token")),
          Instant.parse("2026-11-27T12:00:00Z"),
          Optional.of("jti-1"));

  @Test
  void aPersonTheDirectoryDoesNotKnowKeepsTheirTokensGroups() {
    Optional<Principal> admitted = Directory.NONE.admit(TOKEN);
    assertThat(admitted).contains(TOKEN);
    assertThat(admitted.orElseThrow().groupsFrom()).isEqualTo(Principal.GroupsFrom.TOKEN);
  }

  @Test
  void aPersonTheDirectoryKnowsTakesItsGroupsEvenNoneButKeepsTheTokensClaims() {
    Directory knows = p -> new Directory.Standing.Member(List.of());
    Principal admitted = knows.admit(TOKEN).orElseThrow();
    assertThat(admitted.groups()).isEmpty();
    assertThat(admitted.groupsFrom()).isEqualTo(Principal.GroupsFrom.DIRECTORY);
    assertThat(admitted.claims()).isEqualTo(TOKEN.claims());
    assertThat(admitted.person()).isEqualTo(TOKEN.person());
    assertThat(admitted.tokenId()).isEqualTo(TOKEN.tokenId());
  }

  @Test
  void aPersonTheDirectoryDeprovisionedIsNotAdmitted() {
    Directory left = p -> new Directory.Standing.Deprovisioned(Instant.EPOCH);
    assertThat(left.admit(TOKEN)).isEmpty();
  }

  @Test
  void theDirectoryIsAskedAboutThePersonTheTokenNames() {
    Directory onlyAda =
        p ->
            p.issuer().equals("https://idp.corp.example") && p.subject().equals("ada")
                ? new Directory.Standing.Member(List.of("sre"))
                : new Directory.Standing.Unknown();
    assertThat(onlyAda.admit(TOKEN).orElseThrow().groups()).containsExactly("sre");
  }
}
