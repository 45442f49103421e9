package dev.stint.lease;

import dev.stint.common.FilledDocument;
import dev.stint.common.ParameterValues;
import dev.stint.identity.Person;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A task lease: what a grant's holder handed an agent or a script for one {@code task}, within the
 * grant and never past it. Its credentials carry {@code policy} (narrower than the grant's, proven
 * when it was created) and are minted only while it is {@link State#ACTIVE} and before {@code
 * expiresAt}. The agent is either whoever holds its token (kept only hashed, by the store) or
 * {@code agent}, an identity of its own: an OIDC identity, or an agent a person enrolled, which
 * asked for it ({@code askedBy}) and waited for a person's approval.
 */
public record Lease(
    String id,
    String requestId,
    String grantId,
    String profile,
    Person holder,
    String task,
    Window window,
    State state,
    Narrowing narrowing,
    Optional<Person> agent,
    Optional<End> approval,
    Optional<End> end,
    Optional<AskedBy> askedBy) {

  /** Where a lease is: live, revoked on its own, or ended with its grant. */
  public enum State {
    /** Waiting for the vote its profile asks for. */
    PENDING,
    ACTIVE,
    REVOKED,
    ENDED,
    /** An approver said no: it never minted. */
    DENIED;

    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }

    static State of(String code) {
      return valueOf(code.toUpperCase(Locale.ROOT));
    }
  }

  /** When it was created and when it ends at the latest. */
  public record Window(Instant createdAt, Instant expiresAt) {
    public Window {
      if (!expiresAt.isAfter(createdAt)) {
        throw new IllegalArgumentException("a lease ends after it is created");
      }
    }
  }

  /** The values its policy was filled with and the policy its credentials carry, if any. */
  public record Narrowing(ParameterValues values, Optional<FilledDocument> policy) {
    public static final Narrowing NONE = new Narrowing(ParameterValues.NONE, Optional.empty());

    public Narrowing {
      Objects.requireNonNull(values, "values");
      Objects.requireNonNull(policy, "policy");
    }

    /**
     * Statements of the creator's own: a policy no values filled (a narrowed profile's document is
     * always filled with every one of its parameters).
     */
    public Optional<FilledDocument> ownStatements() {
      return values.isEmpty() ? policy : Optional.empty();
    }
  }

  /**
   * Who ended it (the grant's revoker or sweep, for one ended with it; the approver who denied it)
   * and when; and who approved one whose profile asked a vote, and when.
   */
  public record End(Person by, Instant at) {}

  /**
   * The enrolled agent that asked for it ({@code agent} then names that agent as {@link
   * #AGENT_ISSUER}, its id), and whose agent it is: what approvers are shown.
   */
  public record AskedBy(String agentName, String owner, boolean approverRequired) {
    /** An ask as the agent makes it; whether an approver must vote is the profile's, at the ask. */
    public AskedBy(String agentName, String owner) {
      this(agentName, owner, false);
    }

    /** As asked where the profile's leases do ({@code true}) or do not wait for an approver. */
    public AskedBy approverRequired(boolean required) {
      return new AskedBy(agentName, owner, required);
    }

    /** As approvers read it: "asked by agent coder (bob's)". */
    public String label() {
      return "asked by agent " + agentName + " (" + owner + "'s)";
    }
  }

  /** The issuer an enrolled agent is named under, its id the subject. */
  public static final String AGENT_ISSUER = "urn:stint:agent";

  public Lease {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(askedBy, "askedBy");
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(narrowing, "narrowing");
    Objects.requireNonNull(approval, "approval");
    if ((state == State.ACTIVE || state == State.PENDING) == end.isPresent()) {
      throw new IllegalArgumentException("a pending or active lease has no end, any other has");
    }
  }

  /**
   * Where it is at {@code now}, as callers are shown it: an active or waiting lease past its end is
   * {@code expired}.
   */
  public String stateAt(Instant now) {
    boolean open = state == State.ACTIVE || state == State.PENDING;
    return open && !now.isBefore(window.expiresAt()) ? "expired" : state.code();
  }

  /** Usable to mint at {@code now}: active and before its end. */
  public boolean liveAt(Instant now) {
    return state == State.ACTIVE && now.isBefore(window.expiresAt());
  }
}
