package dev.stint.signing;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * PEM private keys as openssl and stint write them: PKCS#8 ({@code PRIVATE KEY}), traditional RSA
 * ({@code RSA PRIVATE KEY}, PKCS#1) and EC ({@code EC PRIVATE KEY}, SEC1). The public half is
 * always derived from the private key, so a PKCS#8 EC key without an embedded public point works.
 */
final class PemKeys {
  private static final int LINE = 64;

  private PemKeys() {}

  /** Parses exactly one unencrypted private key; the message says why anything else is refused. */
  static JWK parsePrivate(String pem) throws KeyProblem {
    PrivateKey key = toPrivateKey(onlyKeyObject(pem));
    try {
      if (key instanceof RSAPrivateCrtKey rsa) {
        RSAPublicKey pub =
            (RSAPublicKey)
                KeyFactory.getInstance("RSA")
                    .generatePublic(
                        new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
        return new RSAKey.Builder(pub).privateKey(rsa).build();
      }
      if (key instanceof ECPrivateKey ec) {
        Curve curve = Curve.forECParameterSpec(ec.getParams());
        if (!Curve.P_256.equals(curve)) {
          throw new KeyProblem(
              "unsupported curve "
                  + (curve == null ? "(unnamed)" : curve)
                  + "; EC signing keys must use P-256 (ES256)");
        }
        return new ECKey.Builder(curve, p256PublicKey(ec)).privateKey(ec).build();
      }
    } catch (GeneralSecurityException e) {
      throw new KeyProblem("the key could not be read: " + e.getMessage());
    }
    throw new KeyProblem(
        "unsupported key type "
            + key.getAlgorithm()
            + "; use an RSA (2048 bits or more) or EC P-256 private key");
  }

  /** PKCS#8 PEM, the form {@code stint keys generate} and the development key use. */
  static String toPkcs8Pem(PrivateKey key) {
    String body =
        Base64.getMimeEncoder(LINE, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(key.getEncoded());
    return "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
  }

  private static Object onlyKeyObject(String pem) throws KeyProblem {
    List<Object> objects = new ArrayList<>();
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        // `openssl ecparam -genkey` writes an "EC PARAMETERS" block before the key itself.
        if (!(o instanceof ASN1ObjectIdentifier) && !(o instanceof X9ECParameters)) {
          objects.add(o);
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new KeyProblem("not a readable PEM file (" + e.getClass().getSimpleName() + ")");
    }
    if (objects.isEmpty()) {
      throw new KeyProblem("holds no PEM key");
    }
    if (objects.size() > 1) {
      throw new KeyProblem("holds " + objects.size() + " PEM objects; put one key in each file");
    }
    return objects.get(0);
  }

  private static PrivateKey toPrivateKey(Object o) throws KeyProblem {
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try {
      if (o instanceof PEMKeyPair pair) {
        return converter.getPrivateKey(pair.getPrivateKeyInfo());
      }
      if (o instanceof PrivateKeyInfo info) {
        return converter.getPrivateKey(info);
      }
    } catch (IOException | RuntimeException e) {
      throw new KeyProblem("the private key could not be decoded: " + e.getMessage());
    }
    if (o instanceof SubjectPublicKeyInfo || o instanceof X509CertificateHolder) {
      throw new KeyProblem("holds only a public key (or certificate); the private key is needed");
    }
    if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
      throw new KeyProblem("is encrypted; give stint an unencrypted key file (mode 0600)");
    }
    throw new KeyProblem("holds a " + o.getClass().getSimpleName() + ", not a private key");
  }

  /** Q = d·G on P-256: the JDK has no public API for the point multiplication. */
  private static ECPublicKey p256PublicKey(ECPrivateKey key) throws GeneralSecurityException {
    X9ECParameters p256 = CustomNamedCurves.getByName("secp256r1");
    BigInteger d = key.getS();
    // qualified: java.security.spec.ECPoint is imported too
    org.bouncycastle.math.ec.ECPoint q =
        new FixedPointCombMultiplier().multiply(p256.getG(), d).normalize();
    ECPoint w = new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
    return (ECPublicKey)
        KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, key.getParams()));
  }

  /** A reason a key is refused; the caller adds the file name. */
  static final class KeyProblem extends Exception {
    KeyProblem(String reason) {
      super(reason);
    }
  }
}
