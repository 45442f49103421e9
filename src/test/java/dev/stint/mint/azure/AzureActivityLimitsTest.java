package dev.stint.mint.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.stint.mint.ActivityLookup.Call;
import dev.stint.mint.ActivityLookup.Page;
import dev.stint.mint.ActivityLookup.Query;
import dev.stint.standin.ActivityLogEvent;
import dev.stint.standin.ActivityLogStandIn;
import dev.stint.testing.FakeEntra;
import dev.stint.testing.Patience;
import dev.stint.testing.ShiftedClock;
import dev.stint.testing.TestJwtSigner;
import dev.stint.testing.TestTls;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Security review of the Azure Activity Log reader (branch azure-activity). Each test states a
 * property the reader should have; a failing test is the proof of a finding.
 */
class AzureActivityLimitsTest {
  static final String TENANT = AzureActivityTest.TENANT;
  static final String READER = AzureActivityTest.READER;
  static final String SUB = AzureActivityTest.SUB;
  static final String UTI = AzureActivityTest.UTI;
  static final String VM = AzureActivityTest.VM;
  static TestTls tls;

  ShiftedClock clock;
  FakeEntra entra;
  ActivityLogStandIn log;
  final TestJwtSigner signer = new TestJwtSigner(Clock.systemUTC());
  final List<AutoCloseable> closing = new ArrayList<>();

  @BeforeAll
  static void certificate() {
    tls = TestTls.create();
  }

  @BeforeEach
  void start() {
    clock = new ShiftedClock();
    entra = new FakeEntra(tls);
    log = new ActivityLogStandIn(clock, TENANT, entra.publicKeys()).allow(SUB, READER);
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
    log.close();
    entra.close();
  }

  /** Read as fast as the stand-in answers: these tests are about pages, not pacing. */
  AzureActivity activity(URI management, Duration timeout) {
    return activity(management, timeout, Duration.ZERO);
  }

  AzureActivity activity(URI management, Duration timeout, Duration spacing) {
    AzureActivity a =
        new AzureActivity(
            new AzureActivitySettings(TENANT, READER, List.of(SUB), management),
            new AzureSettings(entra.uri(), timeout, 0, Optional.of(tls.clientContext())),
            signer,
            Clock.systemUTC(),
            spacing);
    closing.add(a);
    return a;
  }

  Query query(Duration back) {
    return new Query(
        UTI,
        AzureActivityTest.TARGET,
        SUB,
        clock.instant().minus(back),
        clock.instant(),
        Optional.empty());
  }

  static List<Call> all(AzureActivity activity, Query q) throws Exception {
    List<Call> out = new ArrayList<>();
    Page page = activity.lookup(q).get(Patience.seconds(120), TimeUnit.MILLISECONDS);
    out.addAll(page.calls());
    while (page.nextToken().isPresent()) {
      page =
          activity
              .lookup(
                  new Query(
                      q.accessKeyId(), q.target(), q.place(), q.from(), q.to(), page.nextToken()))
              .get(Patience.seconds(120), TimeUnit.MILLISECONDS);
      out.addAll(page.calls());
    }
    return out;
  }

  void operation(String uti, Duration ago) {
    ActivityLogEvent.Builder op =
        ActivityLogEvent.builder(SUB, VM, "Microsoft.Compute/virtualMachines/write")
            .time(clock.instant().minus(ago))
            .token(
                uti, "66666666-7777-8888-9999-000000000000", TENANT, "0000aaaa-0000-0000-0000-1");
    log.record(op.started());
    log.record(op.build());
  }

  /**
   * A window of more than the page cap (a grantee, or any busy principal, logging a flood of events
   * after the token's operation) is read newest first and cut short at the cap: the lookup ends
   * with what it found instead of failing, so it moves on and its grant is summed up. What lies
   * past the cap is not seen, which is why an Azure token's calls are never taken as all seen
   * (grant.activity says calls_unknown, and the report counts it as not looked up).
   */
  /** Azure's read limits are per subscription: its pages are asked for one spacing apart. */
  @Test
  void thePagesOfOneSubscriptionAreAskedForOneSpacingApart() throws Exception {
    log.pageSize(1);
    for (int i = 0; i < 4; i++) {
      operation("pacedUti" + i, Duration.ofMinutes(10 + i));
    }
    Duration spacing = Duration.ofMillis(300);
    AzureActivity activity = activity(log.uri(), Duration.ofSeconds(10), spacing);

    long started = System.nanoTime();
    List<Call> found = all(activity, query(Duration.ofHours(1)));
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(found).isEmpty();
    assertThat(took)
        .as("four pages, three spacings at least")
        .isGreaterThanOrEqualTo(spacing.multipliedBy(3));
  }

  @Test
  void aWindowPastThePageCapEndsTheLookupWithWhatTheNewestPagesHold() throws Exception {
    log.pageSize(2);
    operation(UTI, Duration.ofMinutes(50));
    for (int i = 0; i < ActivityLogPages.MAX_PAGES + 1; i++) {
      operation("noiseUti" + i, Duration.ofSeconds(40 * 60 - i * 10L));
    }
    AzureActivity activity = activity(log.uri(), Duration.ofSeconds(10));

    List<Call> found = all(activity, query(Duration.ofHours(1)));

    assertThat(found).as("the operation past the cap is not seen").isEmpty();
  }

  /**
   * FINDING (unbounded wait): the request timeout of java.net.http covers only the response
   * headers, so a page whose body stalls after the headers holds the lookup (and with it the
   * replica's whole, sequential activity round, AWS credentials included) for as long as the
   * connection stays open. The lookup should fail within its timeout, and be due again.
   */
  @Test
  void aPageWhoseBodyStallsFailsTheLookupWithinItsTimeout() throws Exception {
    HttpServer stalled =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    stalled.createContext(
        "/",
        exchange -> {
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, 100_000);
          OutputStream body = exchange.getResponseBody();
          body.write("{\"value\":[".getBytes(StandardCharsets.UTF_8));
          body.flush();
          try {
            Thread.sleep(60_000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.close();
        });
    stalled.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    stalled.start();
    closing.add(() -> stalled.stop(0));
    URI management = URI.create("http://127.0.0.1:" + stalled.getAddress().getPort());
    AzureActivity activity = activity(management, Duration.ofSeconds(2));

    assertThatThrownBy(
            () ->
                activity
                    .lookup(query(Duration.ofHours(1)))
                    .get(Patience.seconds(15), TimeUnit.MILLISECONDS))
        .isInstanceOf(ExecutionException.class);
  }

  /** Verified, not a finding: nextLinks leaving the management origin are refused. */
  @Test
  void trickyNextLinksAreRefused() {
    URI management = URI.create("https://management.azure.com");
    for (String link :
        List.of(
            "https://management.azure.com@evil.example/x",
            "https://evil.example#@management.azure.com/x",
            "https://management.azure.com.evil.example/x",
            "https://management.azure.com:8443/x",
            "http://management.azure.com:443/x",
            "//management.azure.com/x",
            "/subscriptions/x",
            "https://xn--management-9za.azure.com/x",
            "https://management.azure.com./x")) {
      assertThatThrownBy(() -> ActivityLogPages.Cursor.decode("1 " + link, management))
          .as(link)
          .isInstanceOf(IllegalStateException.class);
    }
  }
}
