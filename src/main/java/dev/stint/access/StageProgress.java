package dev.stint.access;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where each stage of a request's approval stands, worked out from its recorded stages and its
 * votes: a stage is approved once it has its count of approvals, the first stage neither skipped
 * nor approved is open while the request is pending (from the request's filing, or from the vote
 * that approved the stage before it), and the stages after it wait.
 */
public record StageProgress(
    String name, int count, long votes, State state, Optional<Instant> openedAt) {

  /** A stage's state, as the API names it. */
  public enum State {
    WAITING,
    OPEN,
    APPROVED,
    SKIPPED;

    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Every stage of {@code r}, in order. */
  public static List<StageProgress> of(AccessRequest r) {
    Map<String, List<Vote>> byStage = approvalsByStage(r);
    List<StageProgress> out = new ArrayList<>();
    Optional<Instant> opens = Optional.of(r.createdAt());
    boolean openFound = false;
    for (ApprovalStage stage : r.stages()) {
      List<Vote> votes = byStage.getOrDefault(stage.name(), List.of());
      if (stage.skipped()) {
        out.add(new StageProgress(stage.name(), stage.count(), 0, State.SKIPPED, Optional.empty()));
      } else if (votes.size() >= stage.count() && opens.isPresent()) {
        out.add(
            new StageProgress(stage.name(), stage.count(), votes.size(), State.APPROVED, opens));
        opens = Optional.of(votes.get(stage.count() - 1).at());
      } else if (!openFound && opens.isPresent() && r.state() == RequestState.PENDING) {
        out.add(new StageProgress(stage.name(), stage.count(), votes.size(), State.OPEN, opens));
        openFound = true;
        opens = Optional.empty();
      } else {
        out.add(
            new StageProgress(
                stage.name(), stage.count(), votes.size(), State.WAITING, Optional.empty()));
        opens = Optional.empty();
      }
    }
    return out;
  }

  /** The open stage of a pending request; empty once no stage is left to decide. */
  public static Optional<StageProgress> open(AccessRequest r) {
    return of(r).stream().filter(s -> s.state() == State.OPEN).findFirst();
  }

  /**
   * The approvals of {@code r} by stage, in the order cast; the requester's never count, and a vote
   * recorded before stages were (with none named) counts in the first stage.
   */
  private static Map<String, List<Vote>> approvalsByStage(AccessRequest r) {
    Map<String, List<Vote>> out = new HashMap<>();
    String first = r.stages().get(0).name();
    for (Vote v : r.votes()) {
      if (v.decision() == Vote.Decision.APPROVE && !v.approver().mightBe(r.requester())) {
        out.computeIfAbsent(v.stage().orElse(first), k -> new ArrayList<>()).add(v);
      }
    }
    return out;
  }
}
