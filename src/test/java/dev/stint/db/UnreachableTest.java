package dev.stint.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which failures mean the database is out of reach (a failover, a restart: the caller may try
 * again) and which are stint's own (internal): {@link Reachability#unreachable}.
 */
class UnreachableTest {
  static Stream<Arguments> failures() {
    return Stream.of(
        Arguments.of("connection lost", ClosedConnectionException.INSTANCE, true),
        Arguments.of("connection refused", new ConnectException("Connection refused"), true),
        Arguments.of("no answer in time", new TimeoutException("Timeout"), true),
        Arguments.of(
            "a statement past its deadline",
            new Unanswered("the database did not answer a statement within 5 s"),
            true),
        Arguments.of("wrapped", new CompletionException(ClosedConnectionException.INSTANCE), true),
        Arguments.of("connection failure", pg("08006"), true),
        Arguments.of("admin shutdown", pg("57P01"), true),
        Arguments.of("crash shutdown", pg("57P02"), true),
        Arguments.of("starting up", pg("57P03"), true),
        Arguments.of("read-only standby", pg("25006"), true),
        Arguments.of("unique violation", pg("23505"), false),
        Arguments.of("syntax error", pg("42601"), false),
        Arguments.of("a bug", new NullPointerException(), false),
        Arguments.of("other Vert.x failure", new VertxException("boom"), false));
  }

  private static PgException pg(String state) {
    return new PgException("message", "ERROR", state, null);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failures")
  void classifies(String what, Throwable failure, boolean unreachable) {
    assertThat(Reachability.unreachable(failure)).isEqualTo(unreachable);
  }
}
