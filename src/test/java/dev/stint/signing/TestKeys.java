package dev.stint.signing;

import dev.stint.testing.RsaKeys;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.util.io.pem.PemGenerationException;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/** Key files in the forms operators bring: written the way openssl writes them. */
final class TestKeys {
  private TestKeys() {}

  static KeyPair rsa(int bits) {
    if (bits == 2048) {
      return RsaKeys.next();
    }
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(bits);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static KeyPair ec(String curve) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec(curve));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** PKCS#8 ("PRIVATE KEY"), as `openssl genpkey` writes. */
  static String pkcs8(KeyPair pair) {
    return PemKeys.toPkcs8Pem(pair.getPrivate());
  }

  /** Traditional ("RSA PRIVATE KEY" / "EC PRIVATE KEY"), as `openssl genrsa` / `ecparam` write. */
  static String traditional(KeyPair pair) {
    if (pair.getPrivate() instanceof ECPrivateKey ec) {
      return sec1(ec, pair);
    }
    return pem(pair);
  }

  /** SEC1 with the curve OID and public point inside, as openssl writes it (BC would omit both). */
  private static String sec1(ECPrivateKey ec, KeyPair pair) {
    SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded());
    org.bouncycastle.asn1.sec.ECPrivateKey der =
        new org.bouncycastle.asn1.sec.ECPrivateKey(
            256, ec.getS(), spki.getPublicKeyData(), spki.getAlgorithm().getParameters());
    StringWriter out = new StringWriter();
    try (PemWriter w = new PemWriter(out)) {
      w.writeObject(new PemObject("EC PRIVATE KEY", der.getEncoded()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** "ENCRYPTED PRIVATE KEY", as `openssl genpkey -aes256` writes. */
  static String encrypted(KeyPair pair) {
    try {
      var encryptor =
          new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
              .setProvider(new BouncyCastleProvider())
              .setPassword("x".toCharArray())
              .build();
      return pem(new JcaPKCS8Generator(pair.getPrivate(), encryptor));
    } catch (OperatorCreationException | PemGenerationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** "PUBLIC KEY" only. */
  static String publicOnly(KeyPair pair) {
    return pem(pair.getPublic());
  }

  private static String pem(Object o) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  static Path write(Path dir, String name, String content) {
    try {
      return Files.writeString(dir.resolve(name), content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
