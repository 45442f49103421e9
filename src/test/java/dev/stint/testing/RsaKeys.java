package dev.stint.testing;

import com.nimbusds.jose.jwk.RSAKey;
import dev.stint.signing.DevelopmentKey;
import dev.stint.signing.InvalidSigningKeyException;
import dev.stint.signing.PrivateKeyFile;
import dev.stint.signing.SigningKeys;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * RSA-2048 key pairs for tests, each handed out at most once per test JVM, so "another key" is
 * still one nothing else in the run holds. Generating one is a prime search, and the signers,
 * identity providers, TLS certificates and servers the tests start made so many that the search was
 * the largest share of the fast tier's CPU: the first ones therefore come from keys generated ahead
 * ({@value #RESOURCE}: their primes, one key a line, written by {@link #main}), and only once those
 * are spent are more generated.
 */
public final class RsaKeys {
  static final String RESOURCE = "rsa-2048-primes.txt";
  private static final BigInteger PUBLIC_EXPONENT = BigInteger.valueOf(65_537);
  private static final AtomicInteger TAKEN = new AtomicInteger();
  private static List<String> stored;

  private RsaKeys() {}

  /** A key pair no other caller in this JVM has been given. */
  public static KeyPair next() {
    int i = TAKEN.getAndIncrement();
    List<String> primes = stored();
    return i < primes.size() ? fromPrimes(primes.get(i)) : generate();
  }

  /** As {@link #next()}, as a JWK named {@code kid}. */
  public static RSAKey jwk(String kid) {
    KeyPair pair = next();
    return new RSAKey.Builder((RSAPublicKey) pair.getPublic())
        .privateKey((RSAPrivateKey) pair.getPrivate())
        .keyID(kid)
        .build();
  }

  /**
   * The signing keys stint's development key would be in {@code dataDir}, with a key from {@link
   * #next()} written there first (0600), as stint itself generates it on a first start.
   */
  public static SigningKeys developmentKeyIn(Path dataDir) {
    try {
      writeDevelopmentKey(dataDir);
      return DevelopmentKey.loadOrCreate(dataDir);
    } catch (InvalidSigningKeyException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Writes a key from {@link #next()} where stint keeps its development key in {@code dataDir},
   * unless one is there already (a server started again on the same data keeps its key).
   */
  public static void writeDevelopmentKey(Path dataDir) {
    writeKeyFile(dataDir.resolve(DevelopmentKey.FILE_NAME));
  }

  /**
   * Writes a key from {@link #next()} to {@code file} (0600, PKCS#8 PEM), as stint generates one
   * where it keeps a key of its own, unless one is there already.
   */
  public static void writeKeyFile(Path file) {
    if (Files.exists(file)) {
      return;
    }
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      PrivateKeyFile.write(file, pkcs8Pem(next().getPrivate()), false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** PKCS#8 PEM, as {@code openssl genpkey} and stint itself write a key. */
  private static String pkcs8Pem(PrivateKey key) {
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(key.getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
  }

  private static synchronized List<String> stored() {
    if (stored == null) {
      List<String> lines = new ArrayList<>();
      try (InputStream in = RsaKeys.class.getResourceAsStream(RESOURCE)) {
        if (in != null) {
          BufferedReader reader =
              new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
          reader.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).forEach(lines::add);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      stored = List.copyOf(lines);
    }
    return stored;
  }

  /** The key pair of primes {@code p} and {@code q} (base64, space between) and exponent 65537. */
  static KeyPair fromPrimes(String line) {
    String[] parts = line.trim().split(" ");
    BigInteger p = new BigInteger(1, Base64.getDecoder().decode(parts[0]));
    BigInteger q = new BigInteger(1, Base64.getDecoder().decode(parts[1]));
    BigInteger n = p.multiply(q);
    BigInteger pMinus1 = p.subtract(BigInteger.ONE);
    BigInteger qMinus1 = q.subtract(BigInteger.ONE);
    BigInteger lambda = pMinus1.multiply(qMinus1).divide(pMinus1.gcd(qMinus1));
    BigInteger d = PUBLIC_EXPONENT.modInverse(lambda);
    try {
      KeyFactory rsa = KeyFactory.getInstance("RSA");
      return new KeyPair(
          rsa.generatePublic(new RSAPublicKeySpec(n, PUBLIC_EXPONENT)),
          rsa.generatePrivate(
              new RSAPrivateCrtKeySpec(
                  n, PUBLIC_EXPONENT, d, p, q, d.mod(pMinus1), d.mod(qMinus1), q.modInverse(p))));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("a stored test key does not make an RSA key", e);
    }
  }

  private static KeyPair generate() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Writes {@code args[1]} freshly generated keys' primes to the file {@code args[0]}: how {@value
   * #RESOURCE} was made.
   */
  public static void main(String[] args) throws IOException {
    int count = Integer.parseInt(args[1]);
    StringBuilder out =
        new StringBuilder(
            "# RSA-2048 test keys (dev.stint.testing.RsaKeys): the primes p and q of one key a line,"
                + " base64;\n# exponent 65537. For tests only: every one of them is public.\n");
    Base64.Encoder b64 = Base64.getEncoder();
    for (int i = 0; i < count; i++) {
      RSAPrivateCrtKey key = (RSAPrivateCrtKey) generate().getPrivate();
      out.append(b64.encodeToString(key.getPrimeP().toByteArray()))
          .append(' ')
          .append(b64.encodeToString(key.getPrimeQ().toByteArray()))
          .append('\n');
    }
    Files.writeString(Path.of(args[0]), out.toString(), StandardCharsets.US_ASCII);
  }
}
