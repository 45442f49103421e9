package dev.stint.cli.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.lease.LeaseTokens;
import dev.stint.testing.LocalTools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two hand-written SHA-256s a lease entry's owner is computed with, the fast path's ({@link
 * Sha256}) and the launcher's ({@code src/main/c/sha256.h}, built with the Makefile's flags), give
 * the JDK's digest on inputs at every padding boundary (one block or two, the length's 8 bytes
 * fitting or not), on bytes of every value, and on a real lease token.
 */
class Sha256Test {
  /** Prints the hex SHA-256 of its standard input, with the header stint-cached includes. */
  private static final String DRIVER =
      """
      #include <stdio.h>
      #include "sha256.h"

      int main(void) {
        static unsigned char data[1 << 16];
        size_t len = fread(data, 1, sizeof data, stdin);
        char hex[SHA256_HEX + 1];
        sha256_hex(data, len, hex);
        return puts(hex) < 0;
      }
      """;

  @TempDir Path build;

  static List<byte[]> inputs() {
    List<byte[]> inputs = new ArrayList<>();
    Random random = new Random(20_251_201L);
    for (int length : new int[] {0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000, 4096}) {
      byte[] bytes = new byte[length];
      random.nextBytes(bytes);
      inputs.add(bytes);
    }
    byte[] every = new byte[256];
    for (int i = 0; i < every.length; i++) {
      every[i] = (byte) i;
    }
    inputs.add(every);
    inputs.add("abc".getBytes(StandardCharsets.US_ASCII));
    inputs.add(
        new LeaseTokens()
            .issue("lse_abcdefghijklmnopqrstuvwx")
            .getBytes(StandardCharsets.US_ASCII));
    return inputs;
  }

  static String jdk(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }

  @Test
  void theFastPathsDigestIsTheJdks() throws Exception {
    assertThat(Sha256.hex("abc".getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    for (byte[] data : inputs()) {
      assertThat(Sha256.hex(data)).as("%d bytes", data.length).isEqualTo(jdk(data));
    }
  }

  @Test
  void theLaunchersDigestIsTheJdks() throws Exception {
    Path source = build.resolve("sha256-driver.c");
    Files.writeString(source, DRIVER);
    Path driver = build.resolve("sha256-driver");
    Process cc =
        new ProcessBuilder(
                LocalTools.cc().toString(),
                "-std=c11",
                "-Wall",
                "-Wextra",
                "-pedantic",
                "-Werror",
                "-O2",
                "-I",
                "src/main/c",
                "-o",
                driver.toString(),
                source.toString())
            .redirectErrorStream(true)
            .start();
    String log = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(cc.waitFor()).as(log).isZero();

    for (byte[] data : inputs()) {
      Process p = new ProcessBuilder(driver.toString()).redirectErrorStream(true).start();
      p.getOutputStream().write(data);
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isZero();
      assertThat(out).as("%d bytes", data.length).isEqualTo(jdk(data) + "\n");
    }
  }
}
