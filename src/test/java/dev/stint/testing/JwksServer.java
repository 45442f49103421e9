package dev.stint.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process OIDC issuer on 127.0.0.1 (port 0): discovery and a JWKS whose keys a test can
 * rotate, plus signing helpers. {@link #down(boolean)} makes it answer 503, like an IdP outage.
 */
public final class JwksServer implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final List<JWK> published = new CopyOnWriteArrayList<>();
  private final AtomicInteger jwksFetches = new AtomicInteger();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicBoolean down = new AtomicBoolean();

  private JwksServer() throws Exception {
    server =
        vertx
            .createHttpServer()
            .requestHandler(
                req -> {
                  requests.incrementAndGet();
                  if (down.get()) {
                    req.response().setStatusCode(503).end();
                  } else if (req.path().equals("/.well-known/openid-configuration")) {
                    req.response()
                        .putHeader("Content-Type", "application/json")
                        .end(
                            new JsonObject()
                                .put("issuer", issuer())
                                .put("jwks_uri", issuer() + "/jwks")
                                .encode());
                  } else if (req.path().equals("/jwks")) {
                    jwksFetches.incrementAndGet();
                    req.response()
                        .putHeader("Content-Type", "application/json")
                        .end(new JWKSet(List.copyOf(published)).toString(true));
                  } else {
                    req.response().setStatusCode(404).end();
                  }
                })
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }

  public static JwksServer start() {
    try {
      return new JwksServer();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public String issuer() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  public static RSAKey rsaKey(String kid) {
    return RsaKeys.jwk(kid);
  }

  public static ECKey ecKey(String kid) {
    try {
      return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Publishes (the public halves of) these keys, replacing the previous ones. */
  public void publish(JWK... keys) {
    published.clear();
    for (JWK k : keys) {
      published.add(k.toPublicJWK());
    }
  }

  public void down(boolean isDown) {
    down.set(isDown);
  }

  /** Every request received, answered or refused (discovery, JWKS, anything else). */
  public int requests() {
    return requests.get();
  }

  public int jwksFetches() {
    return jwksFetches.get();
  }

  /** A compact JWS signed with {@code key} (RSA: RS256 unless the header says otherwise). */
  public static String sign(JWK key, JWSHeader header, JWTClaimsSet claims) {
    try {
      SignedJWT jwt = new SignedJWT(header, claims);
      jwt.sign(key instanceof ECKey ec ? new ECDSASigner(ec) : new RSASSASigner((RSAKey) key));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String sign(RSAKey key, JWTClaimsSet claims) {
    return sign(
        key, new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
  }

  @Override
  public void close() throws Exception {
    vertx
        .close()
        .toCompletionStage()
        .toCompletableFuture()
        .get(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }
}
