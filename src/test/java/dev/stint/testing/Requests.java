package dev.stint.testing;

import dev.stint.access.AccessRequest;
import dev.stint.access.AccessRequest.ApprovalStage;
import dev.stint.access.AccessRequest.Lifecycle;
import dev.stint.access.AccessRequest.RequestState;
import dev.stint.access.AccessRequest.Revision;
import dev.stint.access.Grant;
import dev.stint.access.NewRequest;
import dev.stint.access.NewRequest.Narrowed;
import dev.stint.access.Vote;
import dev.stint.identity.Person;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Access requests for tests, naming only what a test cares about: {@code
 * Requests.pending("req_1").profile("prod").requester(bob).build()}. The rest is a plain default:
 * profile {@code prod}, requested by {@link #ALICE} for {@code INC-1} for one hour, no ticket, no
 * schedule, not break-glass, one approval needed, created at {@link #AT}, version 0, no votes, no
 * grant.
 *
 * <p>The builder does not run the state machine: {@link #approved} sets the state and nothing else,
 * so a test whose code reads the grant gives one with {@link Builder#grant(Grant)}.
 */
public final class Requests {
  public static final Person ALICE =
      new Person("https://idp.test", "alice", Optional.of("alice@example.com"));
  public static final Instant AT = Instant.parse("2026-11-23T10:00:00Z");

  private Requests() {}

  public static Builder pending(String id) {
    return new Builder(id, RequestState.PENDING);
  }

  public static Builder approved(String id) {
    return new Builder(id, RequestState.APPROVED);
  }

  /** For tests that take the state as a parameter. */
  public static Builder inState(String id, RequestState state) {
    return new Builder(id, state);
  }

  /** Mutable, one request at a time; every setter returns the builder. */
  public static final class Builder {
    private final String id;
    private RequestState state;
    private String profile = "prod";
    private Person requester = ALICE;
    private String reason = "INC-1";
    private Optional<String> ticket = Optional.empty();
    private Duration duration = Duration.ofHours(1);
    private Optional<Instant> startsAt = Optional.empty();
    private boolean breakGlass;
    private int approvalsRequired = 1;
    private Instant createdAt = AT;
    private Instant updatedAt = AT;
    private int version;
    private List<Vote> votes = List.of();
    private Optional<List<ApprovalStage>> stages = Optional.empty();
    private Optional<Grant> grant = Optional.empty();
    private Narrowed narrowed = Narrowed.NONE;

    private Builder(String id, RequestState state) {
      this.id = id;
      this.state = state;
    }

    public Builder profile(String profile) {
      this.profile = profile;
      return this;
    }

    public Builder requester(Person requester) {
      this.requester = requester;
      return this;
    }

    public Builder reason(String reason) {
      this.reason = reason;
      return this;
    }

    public Builder ticket(String ticket) {
      return ticket(Optional.of(ticket));
    }

    public Builder ticket(Optional<String> ticket) {
      this.ticket = ticket;
      return this;
    }

    public Builder duration(Duration duration) {
      this.duration = duration;
      return this;
    }

    public Builder startsAt(Instant startsAt) {
      return startsAt(Optional.of(startsAt));
    }

    public Builder startsAt(Optional<Instant> startsAt) {
      this.startsAt = startsAt;
      return this;
    }

    public Builder breakGlass(boolean breakGlass) {
      this.breakGlass = breakGlass;
      return this;
    }

    public Builder approvalsRequired(int approvalsRequired) {
      this.approvalsRequired = approvalsRequired;
      return this;
    }

    public Builder state(RequestState state) {
      this.state = state;
      return this;
    }

    /** Created and last updated at {@code at}. */
    public Builder at(Instant at) {
      this.createdAt = at;
      this.updatedAt = at;
      return this;
    }

    public Builder version(int version) {
      this.version = version;
      return this;
    }

    /** Stages in place of the one stage of {@code approvalsRequired}. */
    public Builder stages(ApprovalStage... stages) {
      this.stages = Optional.of(List.of(stages));
      this.approvalsRequired =
          this.stages.get().stream()
              .filter(st -> !st.skipped())
              .mapToInt(ApprovalStage::count)
              .sum();
      return this;
    }

    public Builder votes(List<Vote> votes) {
      this.votes = votes;
      return this;
    }

    public Builder grant(Grant grant) {
      return grant(Optional.of(grant));
    }

    public Builder grant(Optional<Grant> grant) {
      this.grant = grant;
      return this;
    }

    /** Narrowed as given, stored as filed: nothing checks the values or the document here. */
    public Builder narrowed(Narrowed narrowed) {
      this.narrowed = narrowed;
      return this;
    }

    public AccessRequest build() {
      NewRequest asked =
          new NewRequest(profile, duration, reason, ticket, startsAt, breakGlass, narrowed);
      return new AccessRequest(
          id,
          requester,
          asked,
          new Lifecycle(
              state,
              approvalsRequired,
              stages.orElse(Lifecycle.single(approvalsRequired)),
              votes,
              grant),
          new Revision(createdAt, updatedAt, version));
    }
  }
}
