package dev.stint.identity;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A verified caller: who the token's issuer says it is. {@code issuerName} is the policy's name for
 * the issuer, {@code issuer} its exact URL ({@code iss}); {@code tokenId} is the {@code jti}.
 * {@code claims} are all the verified claims, JSON-shaped (numbers as Long or Double). {@code
 * groups} are the token's until the {@link Directory} puts its own in their place ({@code
 * groupsFrom}); {@code claims} always stay the token's.
 */
public record Principal(
    String issuerName,
    String issuer,
    String subject,
    Optional<String> email,
    List<String> groups,
    Map<String, Object> claims,
    Instant tokenExpiresAt,
    Optional<String> tokenId,
    GroupsFrom groupsFrom) {

  /** Where a principal's groups came from. */
  public enum GroupsFrom {
    TOKEN,
    DIRECTORY;

    /** As the API and the CLI name it. */
    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public Principal {
    groups = List.copyOf(groups);
    claims = Map.copyOf(claims);
  }

  /** A caller as the token says, groups included. */
  public Principal(
      String issuerName,
      String issuer,
      String subject,
      Optional<String> email,
      List<String> groups,
      Map<String, Object> claims,
      Instant tokenExpiresAt,
      Optional<String> tokenId) {
    this(
        issuerName,
        issuer,
        subject,
        email,
        groups,
        claims,
        tokenExpiresAt,
        tokenId,
        GroupsFrom.TOKEN);
  }

  /** The same caller with the directory's groups in place of the token's. */
  public Principal withDirectoryGroups(List<String> directoryGroups) {
    return new Principal(
        issuerName,
        issuer,
        subject,
        email,
        directoryGroups,
        claims,
        tokenExpiresAt,
        tokenId,
        GroupsFrom.DIRECTORY);
  }

  /** The person this token speaks for: its issuer's URL, subject and email. */
  public Person person() {
    return new Person(issuer, subject, email);
  }

  /** How to name this caller to people: the email when the token has one, else the subject. */
  public String display() {
    return person().display();
  }
}
