package dev.stint.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RsaKeysTest {
  @Test
  void everyKeyHandedOutIsANewWorkingRsa2048Pair() throws Exception {
    Set<BigInteger> moduli = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      KeyPair pair = RsaKeys.next();
      BigInteger n = ((RSAPublicKey) pair.getPublic()).getModulus();
      assertThat(n.bitLength()).isEqualTo(2048);
      assertThat(moduli.add(n)).as("key %d is new", i).isTrue();
      assertThat(verifies(pair, pair)).isTrue();
    }
  }

  @Test
  void aSignatureVerifiesOnlyUnderItsOwnKey() throws Exception {
    assertThat(verifies(RsaKeys.next(), RsaKeys.next())).isFalse();
  }

  @Test
  void aJwkCarriesItsNameAndBothHalves() {
    var jwk = RsaKeys.jwk("k1");
    assertThat(jwk.getKeyID()).isEqualTo("k1");
    assertThat(jwk.isPrivate()).isTrue();
    assertThat(jwk.size()).isEqualTo(2048);
  }

  private static boolean verifies(KeyPair signer, KeyPair verifier) throws Exception {
    byte[] data = "stint".getBytes(StandardCharsets.UTF_8);
    Signature sign = Signature.getInstance("SHA256withRSA");
    sign.initSign(signer.getPrivate());
    sign.update(data);
    byte[] signature = sign.sign();
    Signature verify = Signature.getInstance("SHA256withRSA");
    verify.initVerify(verifier.getPublic());
    verify.update(data);
    return verify.verify(signature);
  }
}
