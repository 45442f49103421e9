package dev.stint.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.access.AccessRequest.Lifecycle;
import dev.stint.access.AccessRequest.RequestState;
import dev.stint.access.AccessRequest.Revision;
import dev.stint.testing.Requests;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The request's parts: a change is one revision, whatever it changes; parts are not shared. */
class AccessRequestTest {
  static final Instant T0 = Requests.AT;
  static final Instant LATER = T0.plus(Duration.ofMinutes(5));

  @Test
  void aChangeIsOneRevisionLaterAndKeepsWhatWasAsked() {
    AccessRequest r = Requests.pending("req_1").reason("INC-7").version(4).build();
    AccessRequest next = r.revised(LATER, r.lifecycle().withState(RequestState.CANCELLED));
    assertThat(next.revision()).isEqualTo(new Revision(T0, LATER, 5));
    assertThat(next.state()).isEqualTo(RequestState.CANCELLED);
    assertThat(next.asked()).isEqualTo(r.asked());
    assertThat(next.requester()).isEqualTo(r.requester());
    assertThat(r.state()).isEqualTo(RequestState.PENDING);
  }

  @Test
  void theApprovingVoteAndTheGrantAreOneRevision() {
    AccessRequest r = Requests.pending("req_1").build();
    Act bob = new Act(RequestMachineTest.BOB, LATER, Optional.empty());
    Transition.Changed c = (Transition.Changed) RequestMachine.approve(r, bob, true, "grt_1");
    assertThat(c.request().revision()).isEqualTo(new Revision(T0, LATER, 1));
    assertThat(c.request().votes()).hasSize(1);
    assertThat(c.request().grant()).isPresent();
    assertThat(r.votes()).isEmpty();
  }

  @Test
  void approvedAtCreationIsStillTheFirstRevision() {
    AccessRequest draft = Requests.pending("req_1").breakGlass(true).build();
    AccessRequest created = RequestMachine.created(draft, true, "grt_bg");
    assertThat(created.revision()).isEqualTo(Revision.first(T0));
    assertThat(created.state()).isEqualTo(RequestState.APPROVED);
    assertThat(created.grant().orElseThrow().breakGlass()).isTrue();
  }

  @Test
  void aNewLifecycleIsPendingWithNoVotesAndNoGrant() {
    Lifecycle l = Lifecycle.pending(2);
    assertThat(l.state()).isEqualTo(RequestState.PENDING);
    assertThat(l.approvalsRequired()).isEqualTo(2);
    assertThat(l.votes()).isEmpty();
    assertThat(l.grant()).isEmpty();
  }
}
