package dev.stint.cli.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stint login} run as a process through the launcher ({@code bin/stint}) with {@code HOME}
 * pointed elsewhere than the account's home and no XDG directories, as on a CI runner or under
 * {@code sudo -H}: the device flow against a test provider completes, and the stored login lands
 * under {@code $HOME/.config/stint}, where the next command and the launcher's cached path look,
 * and nothing of it under the account's home ({@code user.home}, from the passwd entry).
 */
class LoginHomeIT {
  @TempDir Path tmp;
  private DeviceIdp idp;

  @BeforeEach
  void start() throws Exception {
    idp = new DeviceIdp(Clock.systemUTC());
    idp.interval = 1; // the process really waits between polls
  }

  @AfterEach
  void stop() {
    idp.close();
  }

  @Test
  void theStoredLoginLandsUnderHomeNotUnderTheAccountsHome() throws Exception {
    Path runner = Files.createDirectories(tmp.resolve("runner"));
    Path accountConfig = Path.of(System.getProperty("user.home"), ".config", "stint");
    assertThat(runner).isNotEqualTo(Path.of(System.getProperty("user.home")));
    List<Optional<FileTime>> accountBefore = stamps(accountConfig);
    idp.script.add("authorization_pending");

    ProcessBuilder builder =
        new ProcessBuilder(
                "bin/stint", "login", "--issuer", idp.issuer(), "--client-id", DeviceIdp.CLIENT_ID)
            .redirectError(tmp.resolve("stderr.txt").toFile());
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(k -> k.startsWith("STINT_") || k.startsWith("XDG_"));
    env.put("HOME", runner.toString());
    Process login = builder.start();
    login.getOutputStream().close();
    String out = new String(login.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(login.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String err = Files.readString(tmp.resolve("stderr.txt"));

    assertThat(login.exitValue()).as(err).isZero();
    assertThat(out + err).contains("Logged in as alice@example.com");
    assertThat(idp.tokenRequests).hasSize(2);
    Path stored = runner.resolve(".config/stint/login.json");
    assertThat(Files.readString(stored)).contains("\"client_id\" : \"stint-cli\"");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stored)))
        .isEqualTo("rw-------");
    assertThat(runner.resolve(".config/stint/login.owner")).exists();
    assertThat(stamps(accountConfig)).as("the account's own login").isEqualTo(accountBefore);
  }

  /** When the account's stored login and owner marker were last changed (empty: absent). */
  private static List<Optional<FileTime>> stamps(Path configDir) throws Exception {
    List<Optional<FileTime>> out = new ArrayList<>();
    for (String name : List.of("login.json", "login.owner")) {
      Path file = configDir.resolve(name);
      out.add(Files.exists(file) ? Optional.of(Files.getLastModifiedTime(file)) : Optional.empty());
    }
    return out;
  }
}
