package dev.stint.activity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.mint.ActivityLookup;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A keep writes its calls in the order of the per-profile count rows they lock, then by id, however
 * they arrived: two keeps of one profile (or of one call, looked up and pushed) lock in one order.
 */
class KeepLockOrderTest {
  @Test
  void callsAreKeptByDaySourceNameResourceThenIdWhateverTheirOrder() {
    List<ActivityLookup.Call> calls =
        List.of(
            call("e5", "2026-11-02T00:10:00Z", "s3.amazonaws.com", "GetObject", "b/a/*"),
            call("e4", "2026-11-01T23:50:00Z", "s3.amazonaws.com", "ListObjects", null),
            call("e3", "2026-11-01T23:55:00Z", "s3.amazonaws.com", "GetObject", "b/z/*"),
            call("e2", "2026-11-01T08:00:00Z", "s3.amazonaws.com", "GetObject", "b/a/*"),
            call("e1", "2026-11-01T09:00:00Z", "s3.amazonaws.com", "GetObject", "b/a/*"),
            call("e0", "2026-11-01T07:00:00Z", "dynamodb.amazonaws.com", "GetItem", null));
    List<String> expected = List.of("e0", "e1", "e2", "e3", "e4", "e5");
    List<ActivityLookup.Call> reversed = new ArrayList<>(calls);
    Collections.reverse(reversed);

    assertThat(ActivityStore.inLockOrder(calls))
        .extracting(ActivityLookup.Call::id)
        .isEqualTo(expected);
    assertThat(ActivityStore.inLockOrder(reversed))
        .extracting(ActivityLookup.Call::id)
        .isEqualTo(expected);
  }

  static ActivityLookup.Call call(String id, String at, String source, String name, String res) {
    return new ActivityLookup.Call(
        id,
        Instant.parse(at),
        source,
        name,
        "eu-west-1",
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        false,
        new ActivityLookup.Parameters(Optional.empty(), false, Optional.ofNullable(res)));
  }
}
