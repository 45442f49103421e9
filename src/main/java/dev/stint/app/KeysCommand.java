package dev.stint.app;

import dev.stint.cli.CliEnvironment;
import dev.stint.cli.CliException;
import dev.stint.signing.GeneratedKey;
import dev.stint.signing.KeyType;
import dev.stint.signing.PrivateKeyFile;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code stint keys}: the issuer's signing keys (see docs/operations.md, key rotation). */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = "Manage the signing keys of stint's own OIDC issuer.")
public final class KeysCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code stint keys generate}: a new private key file, its kid and public JWK on stdout. */
  @Command(
      name = "generate",
      mixinStandardHelpOptions = true,
      description = {
        "Write a new private signing key (PKCS#8 PEM, mode 0600) for signing_keys.",
        "Prints the key id and the public JWK; the private key goes only to the file."
      })
  public static final class Generate implements Callable<Integer> {
    @Option(
        names = "--type",
        paramLabel = "rsa|ec",
        defaultValue = "rsa",
        description = "rsa (RS256, the default) or ec (P-256, ES256).")
    KeyType type;

    @Option(
        names = "--bits",
        paramLabel = "BITS",
        description = "RSA key size: 2048 (default), 3072 or 4096. Not used with --type ec.")
    Integer bits;

    @Option(
        names = "--output",
        paramLabel = "FILE",
        required = true,
        description = "Where to write the private key.")
    Path output;

    @Option(names = "--force", description = "Replace FILE if it exists.")
    boolean force;

    private final CliEnvironment env;

    public Generate(CliEnvironment env) {
      this.env = env;
    }

    @Override
    public Integer call() {
      if (type == KeyType.EC && bits != null) {
        throw new CliException(CliException.USAGE, "--bits applies to RSA keys; EC keys are P-256");
      }
      int rsaBits = bits == null ? 2048 : bits;
      if (type == KeyType.RSA && !KeyType.RSA_SIZES.contains(rsaBits)) {
        throw new CliException(CliException.USAGE, "--bits must be 2048, 3072 or 4096");
      }
      GeneratedKey generated = GeneratedKey.generate(type, rsaBits, output);
      try {
        PrivateKeyFile.write(output, generated.pem(), force);
      } catch (FileAlreadyExistsException e) {
        throw new CliException(
            CliException.FAILED,
            output + " already exists; use --force to replace it (the old key is then lost)");
      } catch (IOException e) {
        throw new CliException(
            CliException.FAILED, "cannot write " + output + ": " + e.getMessage());
      }
      env.out().println("kid: " + generated.key().kid());
      env.out().println(generated.key().publicJwk().toJSONString());
      return 0;
    }
  }
}
