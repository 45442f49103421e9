package dev.stint.cli.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CredentialCacheTest {
  private static final String ALICE = "sha256:alice";

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-11-23T10:00:00Z",
        "2026-11-23T10:00:00.5Z",
        "2026-11-23T10:00:00.123456789Z",
        "1999-12-31T23:59:59Z",
        "2028-02-29T00:00:01Z"
      })
  void parsesWhatStintWritesLikeInstantParse(String text) {
    assertThat(CredentialCache.epochSecond(text)).isEqualTo(Instant.parse(text).getEpochSecond());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "2026-11-23",
        "2026-11-23T10:00:00",
        "2026-11-23T10:00:00+01:00",
        "2026-13-23T10:00:00Z",
        "2026-11-23T25:00:00Z",
        "2026-11-23T10:00:00.Z1",
        "2026-1a-23T10:00:00Z",
        "2026-11-23T10:00:00.12aZ",
        "2027-02-29T10:00:00Z"
      })
  void rejectsAnythingElse(String text) {
    assertThat(CredentialCache.epochSecond(text)).isEqualTo(Long.MIN_VALUE);
  }

  @ParameterizedTest
  @CsvSource({
    "2026-11-23T10:05:01Z, true",
    "2026-11-23T10:05:00Z, false",
    "2026-11-23T10:04:00Z, false",
    "garbage, false"
  })
  void usableWhileMoreThanFiveMinutesRemain(String expiration, boolean usable) {
    String json = "{\"Version\":1,\"AccessKeyId\":\"A\",\"Expiration\":\"" + expiration + "\"}";

    assertThat(CredentialCache.usable(json, Instant.parse("2026-11-23T10:00:00Z")))
        .isEqualTo(usable);
  }

  @Test
  void writingClosesACacheDirectoryOthersCouldEnterSoItsEntriesAreServed(@TempDir Path home)
      throws Exception {
    Instant now = Instant.parse("2026-11-23T10:00:00Z");
    String json =
        "{\"Version\":1,\"AccessKeyId\":\"A\",\"Expiration\":\"2026-11-23T11:00:00Z\","
            + "\"owner\":\""
            + ALICE
            + "\",\"checked_until\":\"2026-11-23T10:01:00Z\"}";
    Path dir = home.resolve("stint/aws");
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    CredentialCache cache = new CredentialCache(home.resolve("stint"));

    assertThat(cache.write("http://s", "p", json, now)).isTrue();

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
        .isEqualTo("rwx------");
    assertThat(cache.read("http://s", "p", ALICE, now)).contains(json);
  }

  /**
   * A cache serves only files its own account owns, in a directory that account owns: an entry in
   * the right place with the right modes, even naming the right owner, is a miss when the file is
   * someone else's, as one planted by another account would be. The files here belong to whoever
   * runs the test; the cache that reads them is for another account.
   */
  @Test
  void anEntryOrDirectoryOwnedByAnotherAccountIsNeverServed(@TempDir Path home) throws Exception {
    Instant now = Instant.parse("2026-11-23T10:00:00Z");
    String json =
        "{\"Version\":1,\"AccessKeyId\":\"A\",\"Expiration\":\"2026-11-23T11:00:00Z\","
            + "\"owner\":\""
            + ALICE
            + "\",\"checked_until\":\"2026-11-23T10:01:00Z\"}";
    String me = System.getProperty("user.name");
    String someoneElse = "not-" + me;
    CredentialCache mine = new CredentialCache(home.resolve("stint"));
    assertThat(mine.write("http://s", "p", json, now)).isTrue();
    assertThat(mine.read("http://s", "p", ALICE, now))
        .as("its owner's cache serves it")
        .contains(json);

    CredentialCache theirs = new CredentialCache(home.resolve("stint"), someoneElse);

    assertThat(theirs.read("http://s", "p", ALICE, now)).isEmpty();
    assertThat(theirs.due("http://s", "p", Map.of(), ALICE, now.plusSeconds(60))).isEmpty();
    Path file = mine.file("http://s", "p").orElseThrow();
    assertThat(CredentialCache.isPrivate(file, me)).isTrue();
    assertThat(CredentialCache.isPrivate(file, someoneElse)).as("the entry").isFalse();
    assertThat(CredentialCache.isPrivate(mine.dir(), me)).isTrue();
    assertThat(CredentialCache.isPrivate(mine.dir(), someoneElse)).as("the directory").isFalse();
  }

  /** An entry is served only to the owner it names, found as stint writes it and nowhere else. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        ",\"owner\":\"sha256:alice\"                       | true",
        ",\"owner\":\"sha256:bob\"                         | false",
        "''                                                | false",
        ",\"owner\":\"sha256:alice0\"                      | false",
        ",\"owner\":\"sha256:ali\"                         | false",
        ",\"owner\":\"\"                                     | false",
        ",\"grant_id\":\"\\\"owner\\\":\\\"sha256:alice\\\"\"   | false"
      })
  void servesAnEntryOnlyToTheOwnerItNames(String ownerPart, boolean served, @TempDir Path home) {
    Instant now = Instant.parse("2026-11-23T10:00:00Z");
    String json =
        "{\"Version\":1,\"AccessKeyId\":\"A\",\"Expiration\":\"2026-11-23T11:00:00Z\""
            + ",\"checked_until\":\"2026-11-23T10:01:00Z\""
            + ownerPart.strip()
            + "}";
    CredentialCache cache = new CredentialCache(home.resolve("stint"));
    assertThat(cache.write("http://s", "p", json, now)).isTrue();

    assertThat(cache.read("http://s", "p", ALICE, now).isPresent()).isEqualTo(served);
  }

  /**
   * Past its check an entry is not served as it is but is due: the server must say again that its
   * grant stands, and then it is served for another period from the time it said so.
   */
  @Test
  void pastItsCheckAnEntryIsDueNotServedUntilCheckedAgain(@TempDir Path home) {
    Instant now = Instant.parse("2026-11-23T10:00:00Z");
    String json =
        "{\"Version\":1,\"AccessKeyId\":\"A\",\"Expiration\":\"2026-11-23T11:00:00Z\","
            + "\"owner\":\"sha256:alice\",\"credential_id\":\"crd_1\","
            + "\"checked_until\":\"2026-11-23T10:01:00Z\"}";
    CredentialCache cache = new CredentialCache(home.resolve("stint"));
    cache.write("http://s", "p", json, now);
    Instant due = Instant.parse("2026-11-23T10:01:00Z");

    assertThat(cache.read("http://s", "p", ALICE, due.minusSeconds(1))).contains(json);
    assertThat(cache.due("http://s", "p", Map.of(), ALICE, due.minusSeconds(1))).isEmpty();
    assertThat(cache.read("http://s", "p", ALICE, due)).isEmpty();
    assertThat(cache.due("http://s", "p", Map.of(), ALICE, due)).contains(json);
    assertThat(cache.due("http://s", "p", Map.of(), "sha256:bob", due))
        .as("never anyone else's")
        .isEmpty();
    assertThat(CredentialCache.credentialOf(json)).isEqualTo("crd_1");

    Instant checked = Instant.parse("2026-11-23T10:30:00Z");
    String again = cache.checkedAgain("http://s", "p", Map.of(), json, checked);

    assertThat(again).isEqualTo(json.replace("10:01:00Z", "10:31:00Z"));
    assertThat(cache.read("http://s", "p", ALICE, checked.plusSeconds(59))).contains(again);
    assertThat(cache.read("http://s", "p", ALICE, checked.plusSeconds(60))).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"'', false", "',\"checked_until\":\"soon\"', false"})
  void anEntryWithoutAReadableCheckIsNeverServedAsItIs(String checked, boolean served) {
    String json = "{\"Version\":1,\"Expiration\":\"2026-11-23T11:00:00Z\"" + checked + "}";

    assertThat(CredentialCache.checked(json, Instant.parse("2026-11-23T10:00:00Z")))
        .isEqualTo(served);
  }

  /**
   * A narrowed profile's credentials are the answer to its values: cached for bucket A, they are
   * never served for bucket B, nor for the profile asked without values, nor for A given under
   * another parameter's name.
   */
  @Test
  void anEntryIsServedOnlyForTheParameterValuesItWasMintedFor(@TempDir Path home) {
    Instant now = Instant.parse("2026-11-23T10:00:00Z");
    String json =
        "{\"Version\":1,\"AccessKeyId\":\"A\",\"Expiration\":\"2026-11-23T11:00:00Z\","
            + "\"owner\":\"sha256:alice\",\"checked_until\":\"2026-11-23T10:01:00Z\"}";
    CredentialCache cache = new CredentialCache(home.resolve("stint"));
    Map<String, String> teamA = Map.of("bucket", "team-a");

    assertThat(cache.write("http://s", "s3-read", teamA, json, now)).isTrue();

    assertThat(cache.read("http://s", "s3-read", teamA, ALICE, now)).contains(json);
    assertThat(cache.read("http://s", "s3-read", Map.of("bucket", "team-b"), ALICE, now)).isEmpty();
    assertThat(cache.read("http://s", "s3-read", ALICE, now)).as("without values").isEmpty();
    assertThat(cache.read("http://s", "s3-read", Map.of("prefix", "team-a"), ALICE, now))
        .as("the value under another name")
        .isEmpty();
    assertThat(
            cache.due(
                "http://s", "s3-read", Map.of("bucket", "team-b"), ALICE, now.plusSeconds(60)))
        .isEmpty();
  }

  /**
   * Each profile and set of values has a file of its own: names that a plain join would run
   * together (a value holding the separator, a name and value split elsewhere, values given in
   * another order) stay apart, and the same values in any order are one entry.
   */
  @Test
  void everyProfileAndSetOfValuesHasAFileOfItsOwn(@TempDir Path home) {
    CredentialCache cache = new CredentialCache(home.resolve("stint"));
    List<Path> files =
        List.of(
                cache.file("http://s", "p", Map.of()),
                cache.file("http://s", "p", Map.of("a", "b")),
                cache.file("http://s", "p", Map.of("a", "b__c")),
                cache.file("http://s", "p", Map.of("a", "b", "_c", "d")),
                cache.file("http://s", "p", Map.of("a_", "b")),
                cache.file("http://s", "p__a", Map.of("", "b")),
                cache.file("http://s", "p", Map.of("a", "")),
                cache.file("http://s", "p", Map.of("a", "", "b", "")),
                cache.file("http://s", "p", Map.of("a", "__b")))
            .stream()
            .map(Optional::orElseThrow)
            .toList();

    assertThat(files).doesNotHaveDuplicates();
    Map<String, String> given = new LinkedHashMap<>();
    given.put("b", "2");
    given.put("a", "1");
    assertThat(cache.file("http://s", "p", given))
        .isEqualTo(cache.file("http://s", "p", new TreeMap<>(given)));
    assertThat(files.get(1).getFileName().toString())
        .isEqualTo("http_003a_002f_002fs__p__a__b.json");
  }
}
