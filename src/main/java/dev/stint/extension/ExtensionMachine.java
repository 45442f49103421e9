package dev.stint.extension;

import dev.stint.access.AccessRequest;
import dev.stint.access.AccessRequest.RequestState;
import dev.stint.access.Act;
import dev.stint.access.Action;
import dev.stint.access.Grant;
import dev.stint.access.Vote;
import dev.stint.common.Durations;
import dev.stint.error.ErrorCode;
import dev.stint.identity.Person;
import dev.stint.policy.ExtensionRule;
import dev.stint.policy.ReasonRule;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Extensions, pure. The rules no policy can switch off live here: only the holder asks; the holder
 * never approves; a grant never lasts longer than the rule's {@code max_total} from its start; only
 * an active grant is extended; nothing moves the grant's end until the extension is approved.
 */
public final class ExtensionMachine {
  private ExtensionMachine() {}

  /** A change to store: the extension after it, its audit event, and the grant's new end. */
  public sealed interface Result {}

  public record Changed(Extension extension, String eventType, Optional<Instant> newGrantEnd)
      implements Result {}

  public record Refused(ErrorCode code, String reason) implements Result {}

  /**
   * What is asked, with the answers the caller already has: the profile's rule, whether an
   * extension of this grant is pending, how many approvals the profile needs, and whether the
   * extension is approved without anyone (rule {@code auto} or the profile's auto_approve). The
   * profile's reason rule applies to extensions as it does to requests.
   */
  public record ExtensionAsk(
      AccessRequest original,
      Person asker,
      Duration by,
      String reason,
      Optional<ExtensionRule> rule,
      Optional<String> pending,
      int approvals,
      boolean auto,
      ReasonRule reasonRule) {}

  public static Result ask(ExtensionAsk a, String id, Instant now) {
    AccessRequest r = a.original();
    if (a.rule().isEmpty()) {
      return new Refused(
          ErrorCode.FORBIDDEN,
          "profile '" + r.profile() + "' does not allow extensions (it has no 'extension' rule)");
    }
    if (!a.asker().is(r.requester())) {
      return new Refused(ErrorCode.FORBIDDEN, "only the grant's holder can ask to extend it");
    }
    Optional<Refused> refused = inactive(r, now).or(() -> badAsk(a)).or(() -> pendingAlready(a));
    if (refused.isPresent()) {
      return refused.get();
    }
    Grant g = r.grant().orElseThrow();
    Optional<Refused> tooLong = tooLong(g, a.by(), a.rule().get(), r.profile());
    if (tooLong.isPresent()) {
      return tooLong.get();
    }
    Extension e =
        new Extension(
            id,
            g.id(),
            r.id(),
            r.profile(),
            a.asker(),
            a.by(),
            a.reason(),
            a.auto() ? 0 : a.approvals(),
            Extension.State.PENDING,
            List.of(),
            now,
            now,
            0);
    if (a.auto()) {
      return new Changed(
          e.with(Extension.State.APPROVED, List.of(), now),
          "grant.extended",
          Optional.of(g.endsAt().plus(a.by())));
    }
    return new Changed(e, "grant.extension_requested", Optional.empty());
  }

  /** The ask itself: a positive length, and a reason as the profile wants it. */
  private static Optional<Refused> badAsk(ExtensionAsk a) {
    String profile = a.original().profile();
    if (a.by().isNegative() || a.by().isZero()) {
      return Optional.of(new Refused(ErrorCode.INVALID_REQUEST, "the extension must be positive"));
    }
    if (a.reasonRule().required() && a.reason().isBlank()) {
      return Optional.of(
          new Refused(ErrorCode.INVALID_REQUEST, "profile '" + profile + "' requires a reason"));
    }
    if (!a.reason().isBlank()
        && a.reasonRule().pattern().map(p -> !p.matcher(a.reason()).find()).orElse(false)) {
      return Optional.of(
          new Refused(
              ErrorCode.INVALID_REQUEST,
              "the reason does not match the pattern "
                  + a.reasonRule().pattern().get().pattern()
                  + " required by profile '"
                  + profile
                  + "'"));
    }
    return Optional.empty();
  }

  /**
   * A grant a CI rule opened ({@code ciRule} names it) is not extended. Its length is the rule's
   * {@code max_duration}, and it is used only by tokens that pass the rule again; people's
   * extension path checks neither, so through it a token of an issuer serving people and CI alike,
   * with the job's subject but not the rule's claims, could lengthen the grant. A job that needs
   * longer exchanges again.
   */
  public static Optional<Refused> openedByCiRule(Optional<String> ciRule) {
    return ciRule.map(
        name ->
            new Refused(
                ErrorCode.FORBIDDEN,
                "this grant was opened by CI rule '"
                    + name
                    + "' and lasts as long as the rule allows;"
                    + " it is not extended (the job exchanges again)"));
  }

  /** One extension of a grant waits at a time. */
  private static Optional<Refused> pendingAlready(ExtensionAsk a) {
    return a.pending()
        .map(
            p ->
                new Refused(
                    ErrorCode.CONFLICT, "extension " + p + " of this grant is still pending"));
  }

  /** One approver's yes; the grant's end moves once enough distinct approvers said yes. */
  public static Result approve(
      Extension e,
      AccessRequest original,
      Act act,
      boolean approverAllowed,
      Optional<ExtensionRule> rule) {
    Optional<Refused> refused = checkVote(e, act.actor(), approverAllowed, Action.APPROVE);
    if (refused.isEmpty()) {
      refused = inactive(original, act.at());
    }
    if (refused.isPresent()) {
      return refused.get();
    }
    List<Vote> votes = new ArrayList<>(e.votes());
    votes.add(new Vote(act.actor(), Vote.Decision.APPROVE, act.comment(), act.at()));
    Extension counted = e.with(Extension.State.PENDING, votes, act.at());
    if (counted.approvalCount() < e.approvalsRequired()) {
      return new Changed(counted, "approval.recorded", Optional.empty());
    }
    Grant g = original.grant().orElseThrow();
    if (rule.isEmpty()) {
      return new Refused(
          ErrorCode.CONFLICT, "profile '" + e.profile() + "' no longer allows extensions");
    }
    // Checked again: the policy may have changed since the extension was asked for.
    Optional<Refused> tooLong = tooLong(g, e.duration(), rule.get(), e.profile());
    if (tooLong.isPresent()) {
      return tooLong.get();
    }
    return new Changed(
        e.with(Extension.State.APPROVED, votes, act.at()),
        "grant.extended",
        Optional.of(g.endsAt().plus(e.duration())));
  }

  public static Result deny(Extension e, Act act, boolean approverAllowed) {
    Optional<Refused> refused = checkVote(e, act.actor(), approverAllowed, Action.DENY);
    if (refused.isPresent()) {
      return refused.get();
    }
    List<Vote> votes = new ArrayList<>(e.votes());
    votes.add(new Vote(act.actor(), Vote.Decision.DENY, act.comment(), act.at()));
    return new Changed(
        e.with(Extension.State.DENIED, votes, act.at()),
        "grant.extension_denied",
        Optional.empty());
  }

  public static Result cancel(Extension e, Act act) {
    Optional<Refused> refused = checkVote(e, act.actor(), false, Action.CANCEL);
    if (refused.isPresent()) {
      return refused.get();
    }
    return new Changed(
        e.with(Extension.State.CANCELLED, e.votes(), act.at()),
        "grant.extension_cancelled",
        Optional.empty());
  }

  /**
   * Stint withdraws the approval {@code voter} gave an extension still pending, when the directory
   * deprovisioned them: it stops counting, and the extension needs another approver.
   */
  public static Result withdrawVote(Extension e, Person voter, Act act) {
    if (!act.actor().is(Act.SYSTEM)) {
      return new Refused(ErrorCode.FORBIDDEN, "only stint withdraws a vote");
    }
    if (e.state() != Extension.State.PENDING) {
      return notPending(e);
    }
    List<Vote> kept = e.votes().stream().filter(v -> !v.approver().is(voter)).toList();
    boolean approved =
        e.votes().stream()
            .anyMatch(v -> v.approver().is(voter) && v.decision() == Vote.Decision.APPROVE);
    if (!approved) {
      return new Refused(ErrorCode.CONFLICT, "no approval of theirs waits on this extension");
    }
    return new Changed(
        e.with(Extension.State.PENDING, kept, act.at()), "approval.withdrawn", Optional.empty());
  }

  /** A pending extension whose grant was revoked or has ended: it can never apply. */
  public static Result expire(Extension e, AccessRequest original, Instant now) {
    if (e.state() != Extension.State.PENDING) {
      return notPending(e);
    }
    if (inactive(original, now).isEmpty()) {
      return new Refused(ErrorCode.CONFLICT, "the grant is still active");
    }
    return new Changed(
        e.with(Extension.State.EXPIRED, e.votes(), now),
        "grant.extension_expired",
        Optional.empty());
  }

  private static Optional<Refused> inactive(AccessRequest r, Instant now) {
    boolean active =
        r.state() == RequestState.APPROVED && r.grant().map(g -> g.activeAt(now)).orElse(false);
    return active
        ? Optional.empty()
        : Optional.of(
            new Refused(
                ErrorCode.CONFLICT,
                "the grant of request " + r.id() + " is not active; request new access instead"));
  }

  private static Optional<Refused> tooLong(
      Grant g, Duration by, ExtensionRule rule, String profile) {
    Duration total = Duration.between(g.startsAt(), g.endsAt().plus(by));
    if (total.compareTo(rule.maxTotal()) <= 0) {
      return Optional.empty();
    }
    Duration room = rule.maxTotal().minus(Duration.between(g.startsAt(), g.endsAt()));
    return Optional.of(
        new Refused(
            ErrorCode.FORBIDDEN,
            "extending by "
                + Durations.format(by)
                + " would make the grant last "
                + Durations.format(total)
                + "; profile '"
                + profile
                + "' allows at most "
                + Durations.format(rule.maxTotal())
                + " from its start ("
                + (!room.isNegative() && !room.isZero() ? Durations.format(room) : "nothing")
                + " left to extend)"));
  }

  /** The rules no policy changes on a vote ({@link Vote#refusal}), as this machine's refusal. */
  private static Optional<Refused> checkVote(
      Extension e, Person who, boolean allowed, Action action) {
    return Vote.refusal(e.subject(), action, who, allowed)
        .map(no -> new Refused(no.code(), no.reason()));
  }

  private static Refused notPending(Extension e) {
    return new Refused(ErrorCode.CONFLICT, "extension is " + e.state().code() + ", not pending");
  }
}
