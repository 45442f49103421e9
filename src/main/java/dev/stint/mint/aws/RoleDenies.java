package dev.stint.mint.aws;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Every revocation one role must enforce now, as stint recorded them: the revoked grants whose
 * sessions on the role are still unexpired, the people whose many revoked grants were collapsed to
 * one cutoff of their own ({@code persons}), and, when even those did not fit, a cutoff that denies
 * every stint session of the role issued before a time. The whole set is written at once, so the
 * role's deny is exactly what the record says, never a merge of old guesses.
 */
public record RoleDenies(
    String roleArn, List<Denied> grants, List<PersonCutoff> persons, Optional<Cutoff> cutoff) {
  /**
   * One revoked grant: its sessions carry its tag, and its source identity follows chaining. Once
   * its own sessions have expired ({@code sessionsAlive} false) only a session chained from one may
   * remain, and that carries the source identity alone.
   */
  public record Denied(String grantId, String sourceIdentity, boolean sessionsAlive) {
    public Denied {
      Objects.requireNonNull(grantId, "grantId");
      Objects.requireNonNull(sourceIdentity, "sourceIdentity");
    }

    /** A grant whose own sessions may still be alive. */
    public Denied(String grantId, String sourceIdentity) {
      this(grantId, sourceIdentity, true);
    }

    /** The {@code stint:grant} tag value sessions of this grant were minted with. */
    String tagValue() {
      return TagValues.of(grantId);
    }
  }

  /**
   * Every stint session of the role that STS issued before {@code issuedBefore} is denied, until
   * {@code until} (when the last revoked session it stands for has expired).
   */
  public record Cutoff(Instant issuedBefore, Instant until) {
    public Cutoff {
      Objects.requireNonNull(issuedBefore, "issuedBefore");
      Objects.requireNonNull(until, "until");
    }
  }

  /**
   * Every session of one person (the sixteen characters that start their source identities) issued
   * before {@code issuedBefore} is denied, and every session chained from one of theirs, until
   * {@code until}: it stands for their revoked grants one by one, and cuts nobody else.
   */
  public record PersonCutoff(String person, Instant issuedBefore, Instant until) {
    public PersonCutoff {
      if (!person.matches("[0-9a-f]{16}")) {
        throw new IllegalArgumentException("not the person part of a stint source identity");
      }
      Objects.requireNonNull(issuedBefore, "issuedBefore");
      Objects.requireNonNull(until, "until");
    }
  }

  public RoleDenies {
    Objects.requireNonNull(roleArn, "roleArn");
    grants = List.copyOf(grants);
    persons = List.copyOf(persons);
    Objects.requireNonNull(cutoff, "cutoff");
  }

  /** Grants one by one and perhaps a role-wide cutoff, no person collapsed. */
  public RoleDenies(String roleArn, List<Denied> grants, Optional<Cutoff> cutoff) {
    this(roleArn, grants, List.of(), cutoff);
  }

  /** The role's name: the part of the ARN after the last {@code /} (roles may have paths). */
  public String roleName() {
    int colon = roleArn.indexOf(":role/");
    if (!roleArn.startsWith("arn:") || colon < 0 || roleArn.endsWith("/")) {
      throw new IllegalArgumentException("not an IAM role ARN");
    }
    return roleArn.substring(roleArn.lastIndexOf('/') + 1);
  }
}
