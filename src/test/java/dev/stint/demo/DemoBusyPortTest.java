package dev.stint.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.common.Ports;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code make demo} with its port taken names the port and the way around it, and exits non-zero
 * before it starts the database, the stand-ins or stint.
 */
class DemoBusyPortTest {
  @Test
  void aTakenPortIsNamedWithTheMakeVariableThatMovesIt() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    AtomicInteger launched = new AtomicInteger();
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      DemoCommand demo =
          new DemoCommand(
              new PrintStream(out, true, StandardCharsets.UTF_8),
              new PrintStream(err, true, StandardCharsets.UTF_8),
              config -> {
                launched.incrementAndGet();
                throw new IllegalStateException("the demo must not start stint");
              });

      int code = new CommandLine(demo).execute("--port", String.valueOf(port));

      assertThat(code).isEqualTo(DemoCommand.EXIT_STARTUP).isNotZero();
      assertThat(err.toString(StandardCharsets.UTF_8))
          .isEqualTo(
              "stint demo: port "
                  + port
                  + " on 127.0.0.1 is in use; stop what uses it or run `make demo DEMO_PORT="
                  + (port + 1)
                  + "` (bin/stint demo --port "
                  + (port + 1)
                  + "; 0 picks a free port)\n");
      assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
      assertThat(launched).hasValue(0);
    }
  }

  @Test
  void makeRunsKeptDemoIsMovedAsMakeRunIs() {
    assertThat(DemoCommand.busy(8080, true))
        .isEqualTo(
            "port 8080 on 127.0.0.1 is in use; stop what uses it or run `STINT_LISTEN=127.0.0.1:8081"
                + " make run` (bin/stint demo --keep DIR --port 8081; 0 picks a free port)");
  }

  @Test
  void aFreePortAndPortZeroAreNotInUse() throws Exception {
    int port;
    try (ServerSocket once = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = once.getLocalPort();
      assertThat(Ports.inUse("127.0.0.1", port)).isTrue();
    }
    assertThat(Ports.inUse("127.0.0.1", port)).as("released").isFalse();
    assertThat(Ports.inUse("127.0.0.1", 0)).isFalse();
    assertThat(Ports.refusedAsTaken(new RuntimeException(new BindException("x")))).isTrue();
    assertThat(Ports.refusedAsTaken(new RuntimeException("database could not start"))).isFalse();
  }
}
