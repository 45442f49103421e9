package dev.stint.mint.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.stint.cloud.AwsTarget;
import dev.stint.mint.MintException;
import dev.stint.standin.StsDocuments;
import dev.stint.standin.StsRules;
import dev.stint.testing.FakeAwsEndpoint;
import dev.stint.testing.TestJwtSigner;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.xml.stream.XMLInputFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * STS answers are parsed by whatever StAX parser the classpath supplies (Woodstox, for speed:
 * docs/design.md, "Figures behind choices in the code"). An answer is untrusted input, so whichever
 * parser it is must keep the SDK's no-DTD settings: entities are never expanded and never fetched.
 */
class StsAnswerParsingTest {
  private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private final Clock clock = Clock.fixed(now, ZoneOffset.UTC);
  private final Vertx vertx = Vertx.vertx();
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private final AtomicInteger fetched = new AtomicInteger();
  private HttpServer leak;
  private FakeAwsEndpoint sts;
  private AwsClients clients;

  @BeforeEach
  void start() throws Exception {
    leak = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    leak.createContext(
        "/",
        exchange -> {
          fetched.incrementAndGet();
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    leak.start();
  }

  @AfterEach
  void stop() {
    if (clients != null) {
      clients.close();
    }
    if (sts != null) {
      sts.close();
    }
    leak.stop(0);
    executor.shutdownNow();
    vertx.close();
  }

  @Test
  void theSdkFindsWoodstox() {
    assertThat(XMLInputFactory.newInstance().getClass().getName())
        .isEqualTo("com.ctc.wstx.stax.WstxInputFactory");
  }

  @Test
  void anExternalEntityInAnAnswerIsNeverFetchedAndTheCallFails() {
    String doctype =
        "<!DOCTYPE r [<!ENTITY k SYSTEM \"http://127.0.0.1:"
            + leak.getAddress().getPort()
            + "/leak\">]>";
    MintException e = mintAgainst(answer(doctype, "&k;"));

    assertThat(e.getCause()).hasMessageContaining("Could not parse XML response");
    assertThat(e.getMessage()).doesNotContain("leak");
    assertThat(fetched).hasValue(0);
  }

  @Test
  void anInternalEntityIsNotExpanded() {
    String doctype =
        "<!DOCTYPE r [<!ENTITY a \"ASIAEXPANDEDBYTHEPARSER\">"
            + "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>";
    MintException e = mintAgainst(answer(doctype, "&b;"));

    assertThat(e.getCause()).hasMessageContaining("Could not parse XML response");
    assertThat(e.getMessage()).doesNotContain("ASIAEXPANDEDBYTHEPARSER");
  }

  @Test
  void theSameAnswerWithoutADoctypeIsAccepted() throws Exception {
    sts = standIn(answer("", "ASIAPLAINANSWER00001"));
    AwsSession issued =
        AwsMinterTest.mint(
                minter(),
                AwsMinterTest.request(AwsTarget.Mode.ASSUME_ROLE, now.plus(Duration.ofHours(1))))
            .get();

    assertThat(issued.accessKeyId()).isEqualTo("ASIAPLAINANSWER00001");
  }

  private MintException mintAgainst(String body) {
    sts = standIn(body);
    return AwsMinterTest.failure(
        AwsMinterTest.mint(
            minter(),
            AwsMinterTest.request(AwsTarget.Mode.ASSUME_ROLE, now.plus(Duration.ofHours(1)))));
  }

  private AwsMinter minter() {
    AwsSettings settings =
        new AwsSettings(
            Optional.of("eu-west-1"),
            Optional.of(sts.uri()),
            Optional.empty(),
            AwsSettings.DEFAULT_SIGNIN,
            AwsMinterTest.FAST_CALLS);
    clients = new AwsClients(vertx, settings, AwsMinterTest.STINT_IDENTITY, 4);
    return new AwsMinter(clients, new TestJwtSigner(clock), executor, clock);
  }

  /** Answers every AssumeRole with {@code body}; who stint is, truthfully. */
  private static FakeAwsEndpoint standIn(String body) {
    return new FakeAwsEndpoint() {
      @Override
      protected Answer answer(Call call) {
        return StsRules.CALLER_IDENTITY.equals(call.param("Action"))
            ? new Answer(200, "text/xml", StsDocuments.callerIdentity(StsDocuments.HOME_USER))
            : new Answer(200, "text/xml", body);
      }
    };
  }

  private String answer(String doctype, String accessKeyId) {
    return "<?xml version=\"1.0\"?>"
        + doctype
        + "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
        + "<AssumeRoleResult><AssumedRoleUser><Arn>arn:aws:sts::111122223333:assumed-role/r/s"
        + "</Arn><AssumedRoleId>AROA3XFRBF535PLBIFPI4:s</AssumedRoleId></AssumedRoleUser>"
        + "<Credentials><AccessKeyId>"
        + accessKeyId
        + "</AccessKeyId>"
        + "<SecretAccessKey>secret</SecretAccessKey><SessionToken>token</SessionToken>"
        + "<Expiration>"
        + now.plus(Duration.ofHours(1))
        + "</Expiration></Credentials>"
        + "</AssumeRoleResult></AssumeRoleResponse>";
  }
}
