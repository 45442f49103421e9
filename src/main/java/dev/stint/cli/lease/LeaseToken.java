package dev.stint.cli.lease;

import dev.stint.cli.CliEnvironment;
import dev.stint.cli.CliException;
import dev.stint.cli.PrivateFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A lease token ({@code stl_…}) as the CLI keeps and sends it: written once to a private file under
 * stint's config directory, read back from such a file or from {@code STINT_LEASE_TOKEN}, and the
 * lease it names. It is a secret: no message here ever holds it, only where it came from.
 */
public final class LeaseToken {
  /** The environment variable {@code stint credentials} reads a lease token from. */
  public static final String ENV = "STINT_LEASE_TOKEN";

  /** A lease id as the server makes them; nothing else goes into a path. */
  public static final Pattern LEASE_ID = Pattern.compile("lse_[a-z2-7]{24}");

  /**
   * The shape of {@code dev.stint.lease.LeaseTokens}'s tokens, which the CLI may not import
   * (docs/design.md): keep the two in step ({@code LeaseTokenTest} checks this one against tokens
   * that class issues). The id's random part, a dot, 256 bits in unpadded base64url.
   */
  private static final Pattern SHAPE = Pattern.compile("stl_([a-z2-7]{24})\\.[A-Za-z0-9_-]{43}");

  private final String token;
  private final String lease;

  private LeaseToken(String token, String lease) {
    this.token = token;
    this.lease = lease;
  }

  /**
   * {@code text} (surrounding whitespace trimmed) as a lease token, or a refusal naming only {@code
   * where} it came from: nothing that does not have the shape is ever sent.
   */
  public static LeaseToken parse(String text, String where) {
    Matcher m = SHAPE.matcher(text.strip());
    if (!m.matches()) {
      throw new CliException(
          CliException.USAGE,
          where
              + " does not hold a stint lease token (stl_…, as 'stint lease create' writes it);"
              + " nothing was sent");
    }
    return new LeaseToken(m.group(0), "lse_" + m.group(1));
  }

  /**
   * The token in {@code file}, refused when anyone but its owner may read or change it (as ssh
   * refuses such a private key): the token is the lease, to whoever reads it.
   */
  public static LeaseToken read(Path file) {
    String where = "lease token file " + file;
    return parse(PrivateFiles.readToken(file, where, "a lease token"), where);
  }

  /** {@code STINT_LEASE_TOKEN}, when it is set. */
  public static Optional<LeaseToken> fromEnvironment(CliEnvironment env) {
    return env.get(ENV).map(text -> parse(text, ENV));
  }

  /** Where {@code stint lease create} keeps the token of {@code leaseId}: one file per lease. */
  public static Path fileOf(CliEnvironment env, String leaseId) {
    return env.configDir().resolve("leases").resolve(leaseId + ".token");
  }

  /** Writes the token to {@code file}, 0600 in a 0700 directory from the first byte. */
  void writeTo(Path file) {
    try {
      PrivateFiles.write(file, token + "\n");
    } catch (IOException e) {
      throw new CliException(
          CliException.FAILED,
          "cannot write the lease token to "
              + file
              + ": "
              + e.getMessage()
              + "; the token is lost: revoke the lease with 'stint lease revoke "
              + lease
              + "' and create another");
    }
  }

  /** The lease the token names ({@code lse_…}). */
  public String lease() {
    return lease;
  }

  /** The token itself: only for the Authorization header. */
  public String bearer() {
    return token;
  }

  @Override
  public String toString() {
    return "LeaseToken[lease=" + lease + ", token=***]";
  }
}
