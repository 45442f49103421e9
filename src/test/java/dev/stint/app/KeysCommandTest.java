package dev.stint.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWK;
import dev.stint.signing.SigningKey;
import dev.stint.signing.SigningKeyFiles;
import dev.stint.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeysCommandTest {
  @TempDir Path home;

  CliRun run(String... args) {
    return CliRun.run(home, Map.of(), args);
  }

  @ParameterizedTest
  @CsvSource({"rsa,2048,RS256", "rsa,3072,RS256", "ec,,ES256"})
  void writesAPrivateKeyAndPrintsItsKidAndPublicJwk(String type, String bits, String alg)
      throws Exception {
    Path out = home.resolve("keys/new.pem");
    CliRun r =
        bits == null
            ? run("keys", "generate", "--type", type, "--output", out.toString())
            : run("keys", "generate", "--type", type, "--bits", bits, "--output", out.toString());

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out)))
        .isEqualTo("rw-------");
    SigningKey key = SigningKeyFiles.read(out);
    String[] lines = r.out().strip().split("\n");
    assertThat(lines).hasSize(2);
    assertThat(lines[0]).isEqualTo("kid: " + key.kid());
    JWK printed = JWK.parse(lines[1]);
    assertThat(printed.isPrivate()).isFalse();
    assertThat(printed).isEqualTo(key.publicJwk());
    assertThat(printed.getAlgorithm().getName()).isEqualTo(alg);
    assertThat(r.out() + r.err()).doesNotContain("PRIVATE KEY").doesNotContain("\"d\"");
  }

  @Test
  void refusesToOverwriteWithoutForce() throws Exception {
    Path out = Files.writeString(home.resolve("old.pem"), "old key\n");
    CliRun r = run("keys", "generate", "--output", out.toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains(out + " already exists; use --force");
    assertThat(Files.readString(out)).isEqualTo("old key\n");

    // EC: what --force does is the same for either type, and an EC key is made at once.
    CliRun forced = run("keys", "generate", "--type", "ec", "--output", out.toString(), "--force");
    assertThat(forced.exitCode()).as(forced.err()).isZero();
    assertThat(SigningKeyFiles.read(out).kid())
        .isEqualTo(forced.out().lines().findFirst().orElseThrow().substring("kid: ".length()));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--bits 1024 --output K|--bits must be 2048, 3072 or 4096",
        "--type ec --bits 2048 --output K|--bits applies to RSA keys",
        "--type dsa --output K|--type",
        "--bits 2048|Missing required option: '--output=FILE'"
      })
  void badOptionsAreUsageErrorsAndWriteNothing(String args, String message) {
    List<String> argv = new ArrayList<>(List.of("keys", "generate"));
    for (String a : args.split(" ")) {
      argv.add(a.equals("K") ? home.resolve("k.pem").toString() : a);
    }
    CliRun r = run(argv.toArray(String[]::new));
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains(message);
    assertThat(home.resolve("k.pem")).doesNotExist();
  }
}
