package dev.stint.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WrkTest {
  static final String OUTPUT =
      """
      Running 20s test @ http://127.0.0.1:41234/v1/credentials
        1 threads and 64 connections
        Thread Stats   Avg      Stdev     Max   +/- Stdev
          Latency    23.10ms   10.02ms 180.33ms   80.12%
          Req/Sec     2.71k   210.55     3.10k    70.00%
        Latency Distribution
           50%   21.50ms
           75%   27.00ms
           90%   35.20ms
           99%    1.02s
        54060 requests in 20.00s, 60.11MB read
        Socket errors: connect 0, read 1, write 0, timeout 2
        Non-2xx or 3xx responses: 7
      Requests/sec:   2703.11
      Transfer/sec:      3.01MB
      """;

  @Test
  void readsRatePercentilesAndErrorsInTheirUnits() {
    Wrk.Result r = Wrk.parse(OUTPUT);
    assertThat(r.perSecond()).isEqualTo(2703.11);
    assertThat(r.p50Millis()).isEqualTo(21.5);
    assertThat(r.p99Millis()).isEqualTo(1020.0);
    assertThat(r.requests()).isEqualTo(54060);
    assertThat(r.non2xx()).isEqualTo(7);
    assertThat(r.socketErrors()).isEqualTo(3);
  }

  @Test
  void outputWithoutTheFiguresIsAnErrorNotZeroes() {
    assertThatThrownBy(() -> Wrk.parse("unable to connect to 127.0.0.1:1 Connection refused"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Connection refused");
  }
}
