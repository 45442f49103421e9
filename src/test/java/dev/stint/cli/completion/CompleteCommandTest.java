package dev.stint.cli.completion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.stint.testing.CliRun;
import dev.stint.testing.FakeStintApi;
import dev.stint.testing.MutableClock;
import dev.stint.testing.TestIdp;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code stint __complete}: which word takes what, what is asked of the server for it, the brief
 * private cache, and silence on every failure.
 */
class CompleteCommandTest {
  private static final TestIdp IDP = new TestIdp("corp");
  private static final String ALICE = IDP.token("alice", "eng");
  private static final String BOB = IDP.token("bob", "sre");
  private static final String PROFILES =
      "{\"profiles\":[{\"name\":\"aws-prod-admin\",\"cloud\":\"aws\"},"
          + "{\"name\":\"gcp-dev\",\"cloud\":\"gcp\"},"
          + "{\"name\":\"$(touch pwned)\",\"cloud\":\"aws\"}]}";
  private static final String PENDING =
      "{\"requests\":[{\"id\":\"req_bobs\"},{\"id\":\"req_alices\"}]}";
  private static final String ALICES_PENDING = "{\"requests\":[{\"id\":\"req_alices\"}]}";

  @TempDir Path home;
  private final FakeStintApi api = new FakeStintApi();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));

  CompleteCommandTest() throws Exception {}

  @AfterEach
  void stop() {
    api.close();
  }

  @AfterAll
  static void stopIdp() {
    IDP.close();
  }

  private CliRun completeAs(String token, String... words) {
    List<String> args = new ArrayList<>(List.of("__complete", "--"));
    args.addAll(List.of(words));
    return CliRun.run(
        home,
        Map.of("STINT_SERVER", api.uri().toString(), "STINT_TOKEN", token),
        clock,
        args.toArray(String[]::new));
  }

  private CliRun complete(String... words) {
    return completeAs(ALICE, words);
  }

  @Test
  void aProfilePositionGetsTheProfilesTheServerListsOneALine() {
    api.answer("/v1/profiles", PROFILES);

    CliRun run = complete("credentials", "");

    assertThat(run.out()).isEqualTo("aws-prod-admin\ngcp-dev\n");
    assertThat(run.err()).isEmpty();
    assertThat(api.received()).hasSize(1);
    assertThat(api.received().get(0).authorization()).isEqualTo("Bearer " + ALICE);
  }

  @Test
  void aNameAShellCouldExpandIsNeverPrinted() {
    api.answer("/v1/profiles", PROFILES);

    assertThat(complete("env", "").out()).doesNotContain("touch").doesNotContain("$");
  }

  @Test
  void theConsoleIsOfferedOnlyAwsProfiles() {
    api.answer("/v1/profiles", PROFILES);

    assertThat(complete("console", "").out()).isEqualTo("aws-prod-admin\n");
  }

  @Test
  void theProfileOptionOfRequestsTakesProfilesToo() {
    api.answer("/v1/profiles", PROFILES);

    assertThat(complete("requests", "--pending", "--profile", "aw").out())
        .isEqualTo("aws-prod-admin\ngcp-dev\n");
  }

  @Test
  void approveAndDenyOfferPendingRequestsThatAreNotYourOwn() {
    api.answer("/v1/requests?state=pending", PENDING);
    api.answer("/v1/requests?state=pending&mine=true", ALICES_PENDING);

    assertThat(complete("approve", "").out()).isEqualTo("req_bobs\n");
    assertThat(complete("deny", "--comment", "no", "").out()).isEqualTo("req_bobs\n");
  }

  @ParameterizedTest
  @CsvSource({
    "cancel, state=pending&mine=true",
    "revoke, state=scheduled%2Cactive",
    "extend, state=active&mine=true",
    "show, ",
  })
  void eachCommandAsksForTheRequestsItTakes(String command, String query) {
    api.answer("/v1/requests", ALICES_PENDING);

    assertThat(complete(command, "").out()).isEqualTo("req_alices\n");
    assertThat(api.received()).extracting(FakeStintApi.Received::query).containsExactly(query);
  }

  @Test
  void leaseCreateOffersYourActiveGrantsAndLeaseListAnyRequest() {
    api.answer("/v1/requests", ALICES_PENDING);

    assertThat(complete("lease", "create", "").out()).isEqualTo("req_alices\n");
    assertThat(complete("lease", "list", "").out()).isEqualTo("req_alices\n");
    assertThat(complete("lease", "show", "").out()).isEmpty();
    assertThat(complete("lease", "create", "req_alices", "--task", "").out()).isEmpty();
    assertThat(api.received())
        .extracting(FakeStintApi.Received::query)
        .containsExactly("state=active&mine=true", null);
  }

  @Test
  void accessReviewShowOffersReviewsAndDecideOnlyOpenOnes() {
    api.answer(
        "/v1/access-reviews",
        "{\"reviews\":[{\"id\":\"rvw_closed1\"},{\"id\":\"rvw_open1\"},"
            + "{\"id\":\"$(touch pwned)\"}]}");
    api.answer("/v1/access-reviews?state=open", "{\"reviews\":[{\"id\":\"rvw_open1\"}]}");

    assertThat(complete("access-review", "show", "").out()).isEqualTo("rvw_closed1\nrvw_open1\n");
    assertThat(complete("access-review", "decide", "").out()).isEqualTo("rvw_open1\n");
    assertThat(complete("access-review", "decide", "rvw_open1", "--keep", "").out()).isEmpty();
    assertThat(complete("access-review", "open", "").out()).isEmpty();
    assertThat(api.received())
        .extracting(FakeStintApi.Received::path, FakeStintApi.Received::query)
        .containsExactly(
            tuple("/v1/access-reviews", null), tuple("/v1/access-reviews", "state=open"));
  }

  @Test
  void reviewOffersGrantsAwaitingReviewThatAreNotYourOwn() {
    api.answer("/v1/requests?needs_review=true", PENDING);
    api.answer("/v1/requests?needs_review=true&mine=true", ALICES_PENDING);

    assertThat(complete("review", "").out()).isEqualTo("req_bobs\n");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "credentials --",
        "credentials aws-prod-admin ''",
        "request aws-prod-admin --duration ''",
        "exchange ''",
        "profiles ''",
        "show req_a ''"
      })
  void wordsTheServerKnowsNothingOfAskNothing(String line) {
    api.answer("/v1/profiles", PROFILES).answer("/v1/requests", PENDING);
    String[] words =
        Stream.of(line.split(" ")).map(w -> w.equals("''") ? "" : w).toArray(String[]::new);

    CliRun run = complete(words);

    assertThat(run.out()).isEmpty();
    assertThat(api.received()).isEmpty();
  }

  @Test
  void requestTakesAProfileAtEveryPosition() {
    api.answer("/v1/profiles", PROFILES);

    assertThat(complete("request", "gcp-dev", "--reason", "x", "").out()).contains("gcp-dev");
  }

  @Test
  void aServerTypedOnTheLineIsNeverSentTheToken() throws Exception {
    try (FakeStintApi other = new FakeStintApi()) {
      other.answer("/v1/profiles", "{\"profiles\":[{\"name\":\"elsewhere\",\"cloud\":\"aws\"}]}");
      api.answer("/v1/profiles", PROFILES);

      String out =
          complete("credentials", "--insecure", "--server", other.uri().toString(), "").out();

      assertThat(other.received()).isEmpty();
      assertThat(out).isEqualTo("aws-prod-admin\ngcp-dev\n");
    }
  }

  @Test
  void withoutStintServerATabAsksNobody() throws Exception {
    api.answer("/v1/profiles", PROFILES);
    List<String> args = List.of("__complete", "--", "credentials", "");

    CliRun run = CliRun.run(home, Map.of("STINT_TOKEN", ALICE), clock, args.toArray(String[]::new));

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEmpty();
    assertThat(api.received()).isEmpty();
  }

  @Test
  void aSecondTabWithinTheTtlIsAnsweredFromThePrivateCache() throws Exception {
    api.answer("/v1/profiles", PROFILES);
    complete("credentials", "");
    clock.advance(CompletionCache.TTL.minusSeconds(1));

    assertThat(complete("credentials", "").out()).isEqualTo("aws-prod-admin\ngcp-dev\n");
    assertThat(api.received()).hasSize(1);
    Path dir = home.resolve(".cache/stint/completion");
    try (Stream<Path> files = Files.list(dir)) {
      Path file = files.findFirst().orElseThrow();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
        .isEqualTo("rwx------");
  }

  @Test
  void anEntryAsOldAsTheTtlIsReadAgain() {
    api.answer("/v1/profiles", PROFILES);
    complete("credentials", "");
    clock.advance(CompletionCache.TTL);

    complete("credentials", "");

    assertThat(api.received()).hasSize(2);
  }

  @Test
  void anEntryFromTheFutureIsNotTrusted() {
    api.answer("/v1/profiles", PROFILES);
    complete("credentials", "");
    clock.advance(Duration.ofSeconds(-5));

    complete("credentials", "");

    assertThat(api.received()).hasSize(2);
  }

  @Test
  void anEntryOthersCouldReadIsNotServed() throws Exception {
    api.answer("/v1/profiles", PROFILES);
    complete("credentials", "");
    Path dir = home.resolve(".cache/stint/completion");
    try (Stream<Path> files = Files.list(dir)) {
      Files.setPosixFilePermissions(
          files.findFirst().orElseThrow(), PosixFilePermissions.fromString("rw-r--r--"));
    }

    complete("credentials", "");

    assertThat(api.received()).hasSize(2);
  }

  @Test
  void anotherPersonIsNotOfferedTheLastOnesIds() {
    api.answer("/v1/requests", ALICES_PENDING);
    completeAs(ALICE, "cancel", "");
    api.answer("/v1/requests", "{\"requests\":[]}");

    assertThat(completeAs(BOB, "cancel", "").out()).isEmpty();
    assertThat(api.received()).hasSize(2);
  }

  @Test
  void aServerErrorIsSilence() {
    api.problem("/v1/profiles", 500, "internal", "boom");

    CliRun run = complete("credentials", "");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEmpty();
  }

  @Test
  void anUnreachableServerIsSilence() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closed = socket.getLocalPort();
    }

    CliRun run =
        CliRun.run(
            home,
            Map.of("STINT_SERVER", "http://127.0.0.1:" + closed, "STINT_TOKEN", ALICE),
            clock,
            "__complete",
            "--",
            "credentials",
            "");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEmpty();
  }

  @Test
  void nobodyLoggedInIsSilenceAndAsksNothing() {
    api.answer("/v1/profiles", PROFILES);

    CliRun run =
        CliRun.run(
            home,
            Map.of("STINT_SERVER", api.uri().toString()),
            clock,
            "__complete",
            "--",
            "credentials",
            "");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEmpty();
    assertThat(api.received()).isEmpty();
  }
}
