package dev.stint.cli.setup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.cli.CliException;
import dev.stint.cli.ShellWords;
import dev.stint.testing.CliRun;
import dev.stint.testing.FakeStintApi;
import dev.stint.testing.LocalTools;
import dev.stint.testing.StintScript;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stint setup aws} against a stand-in server, on real files, then through the AWS CLI v2.
 */
class SetupAwsCommandTest {
  private static final String STINT = "/opt/stint/bin/stint";
  @TempDir Path home;
  private FakeStintApi api;
  private Path config;

  @BeforeEach
  void start() throws Exception {
    api = new FakeStintApi();
    api.answer(
        "/v1/profiles",
        "{\"profiles\":["
            + "{\"name\":\"aws-prod-admin\",\"cloud\":\"aws\"},"
            + "{\"name\":\"gcp-data\",\"cloud\":\"gcp\"},"
            + "{\"name\":\"aws-dev\",\"cloud\":\"aws\"}]}");
    config = home.resolve(".aws/config");
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private Map<String, String> env() {
    return Map.of(
        "STINT_SERVER",
        api.uri().toString(),
        "STINT_TOKEN",
        "oidc-token-1",
        "STINT_COMMAND",
        STINT);
  }

  private CliRun setup(String... flags) {
    String[] args = new String[flags.length + 2];
    args[0] = "setup";
    args[1] = "aws";
    System.arraycopy(flags, 0, args, 2, flags.length);
    return CliRun.run(home, env(), args);
  }

  private String block(String prefix, String region) {
    String server = api.uri().toString();
    StringBuilder b =
        new StringBuilder(
            "# >>> stint managed profiles\n"
                + "# Written by `stint setup aws` for "
                + server
                + "; running it again replaces\n"
                + "# everything up to the closing marker. Put your own profiles outside this block.\n");
    for (String name : new String[] {"aws-prod-admin", "aws-dev"}) {
      b.append("\n[profile ")
          .append(prefix)
          .append(name)
          .append("]\ncredential_process = ")
          .append(STINT)
          .append(" credentials ")
          .append(name)
          .append(" --server ")
          .append(server)
          .append('\n');
      if (region != null) {
        b.append("region = ").append(region).append('\n');
      }
    }
    return b.append("# <<< stint managed profiles\n").toString();
  }

  @Test
  void aFreshConfigGetsOnlyTheBlockPrivately() throws Exception {
    CliRun run = setup("--yes", "--region", "eu-west-1");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(Files.readString(config)).isEqualTo(block("", "eu-west-1"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config)))
        .isEqualTo("rw-------");
    assertThat(home.resolve(".aws/config.stint-backup")).doesNotExist();
    assertThat(run.out())
        .contains(
            "+ [profile aws-prod-admin]",
            "+ region = eu-west-1",
            "Wrote 2 profile(s) to " + config + ".")
        .doesNotContain("gcp-data");
    assertThat(api.received())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.path()).isEqualTo("/v1/profiles");
              assertThat(r.authorization()).isEqualTo("Bearer oidc-token-1");
            });
  }

  @Test
  void anExistingConfigKeepsEverythingOutsideTheBlockByteForByte() throws Exception {
    String head = "[default]\nregion = us-east-1   \n# my notes\n\n";
    String oldBlock =
        "# >>> stint managed profiles\n[profile stint-gone]\ncredential_process = x\n"
            + "# <<< stint managed profiles\n";
    String tail =
        "\n[profile mine]\nsso_session = corp\n\n[sso-session corp]\nsso_region = eu-west-1";
    Files.createDirectories(config.getParent());
    Files.writeString(config, head + oldBlock + tail);
    Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));

    CliRun run = setup("--yes", "--prefix", "s-");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(Files.readString(config)).isEqualTo(head + block("s-", null) + tail);
    assertThat(Files.readString(home.resolve(".aws/config.stint-backup")))
        .isEqualTo(head + oldBlock + tail);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config)))
        .isEqualTo("rw-r--r--");
    assertThat(run.out())
        .contains(
            "- [profile stint-gone]",
            "+ [profile s-aws-dev]",
            "(the previous file is in " + home.resolve(".aws/config.stint-backup") + ")");
  }

  @Test
  void eachProfileGetsItsOwnRegionFromThePolicyUnlessRegionOverridesIt() throws Exception {
    api.answer(
        "/v1/profiles",
        "{\"profiles\":["
            + "{\"name\":\"aws-prod-admin\",\"cloud\":\"aws\",\"region\":\"eu-central-1\"},"
            + "{\"name\":\"aws-dev\",\"cloud\":\"aws\",\"region\":null},"
            + "{\"name\":\"aws-odd\",\"cloud\":\"aws\",\"region\":\"eu west\\n[x]\"}]}");

    assertThat(setup("--yes").exitCode()).isZero();
    String own = Files.readString(config);
    assertThat(setup("--yes", "--region", "us-west-2").exitCode()).isZero();
    String overridden = Files.readString(config);

    assertThat(own)
        .contains(
            "[profile aws-prod-admin]\ncredential_process = "
                + STINT
                + " credentials aws-prod-admin --server "
                + api.uri()
                + "\nregion = eu-central-1\n")
        .as("no region named, or one that is not a region: none written")
        .doesNotContain("aws-dev --server " + api.uri() + "\nregion")
        .doesNotContain("[x]")
        .containsOnlyOnce("region = ");
    assertThat(overridden).doesNotContain("eu-central-1");
    assertThat(overridden.split("region = us-west-2\n", -1)).hasSize(4);
  }

  @Test
  void aConfigWithoutTheBlockGetsItAppended() throws Exception {
    Files.createDirectories(config.getParent());
    Files.writeString(config, "[default]\nregion = us-east-1\n");

    assertThat(setup("--yes").exitCode()).isZero();

    assertThat(Files.readString(config))
        .isEqualTo("[default]\nregion = us-east-1\n\n" + block("", null));
  }

  @Test
  void reRunningChangesNothingAndSaysSo() throws Exception {
    setup("--yes");
    String first = Files.readString(config);

    CliRun again = setup("--yes");

    assertThat(again.exitCode()).isZero();
    assertThat(again.out()).isEqualTo(config + " is up to date (2 stint profile(s)).\n");
    assertThat(Files.readString(config)).isEqualTo(first);
    assertThat(home.resolve(".aws/config.stint-backup")).doesNotExist();
  }

  @Test
  void aNewProfileOnTheServerIsAddedOnReRun() throws Exception {
    setup("--yes");
    api.answer("/v1/profiles", "{\"profiles\":[{\"name\":\"aws-prod-admin\",\"cloud\":\"aws\"}]}");

    CliRun again = setup("--yes");

    assertThat(again.out()).contains("- [profile aws-dev]");
    assertThat(Files.readString(config))
        .doesNotContain("aws-dev")
        .contains("[profile aws-prod-admin]");
    assertThat(Files.readString(home.resolve(".aws/config.stint-backup")))
        .isEqualTo(block("", null));
  }

  @Test
  void dryRunPrintsTheDiffAndWritesNothing() {
    CliRun run = setup("--dry-run");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("--- " + config, "+ [profile aws-dev]", "Dry run: nothing written.");
    assertThat(config).doesNotExist();
  }

  @Test
  void withoutATerminalOrYesItSaysWhatToDoAndWritesNothing() {
    CliRun run = setup();

    assertThat(run.exitCode()).isEqualTo(CliException.USAGE);
    assertThat(run.out()).contains("+ [profile aws-prod-admin]");
    assertThat(run.err()).contains("run 'stint setup aws --yes'");
    assertThat(config).doesNotExist();
  }

  @Test
  void refusesToShadowAProfileTheUserWrote() throws Exception {
    Files.createDirectories(config.getParent());
    Files.writeString(config, "[profile aws-dev]\nregion = x\n");

    CliRun run = setup("--yes");

    assertThat(run.exitCode()).isEqualTo(CliException.FAILED);
    assertThat(run.err())
        .contains("profile aws-dev is already defined outside stint's block (line 1)", "--prefix");
    assertThat(Files.readString(config)).isEqualTo("[profile aws-dev]\nregion = x\n");
  }

  @Test
  void writesThroughASymlinkedConfig() throws Exception {
    Path real = home.resolve("dotfiles/aws-config");
    Files.createDirectories(real.getParent());
    Files.writeString(real, "[default]\n");
    Files.createDirectories(config.getParent());
    Files.createSymbolicLink(config, real);

    assertThat(setup("--yes").exitCode()).isZero();

    assertThat(Files.isSymbolicLink(config)).isTrue();
    assertThat(Files.readString(real)).isEqualTo("[default]\n\n" + block("", null));
  }

  @Test
  void refusesBadPrefixesAndAMissingInstallPath() {
    assertThat(setup("--prefix", "a b").exitCode()).isEqualTo(CliException.USAGE);
    CliRun noCommand =
        CliRun.run(
            home,
            Map.of("STINT_SERVER", api.uri().toString(), "STINT_TOKEN", "t"),
            "setup",
            "aws",
            "--yes");
    assertThat(noCommand.exitCode()).isEqualTo(CliException.USAGE);
    assertThat(noCommand.err()).contains("STINT_COMMAND");
  }

  /** The written profile, used by the real AWS CLI v2 with nothing else configured. */
  @Test
  void theAwsCliResolvesAProfileThroughTheWrittenConfig() throws Exception {
    Path aws = LocalTools.awsCli();
    String expiration =
        Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
    api.answer(
        "/v1/credentials",
        "{\"cloud\":\"aws\",\"access_key_id\":\"ASIASETUP01\","
            + "\"secret_access_key\":\"setup/secret\",\"session_token\":\"setup-token\","
            + "\"expiration\":\""
            + expiration
            + "\",\"grant_id\":\"g-1\"}");
    Path stint = StintScript.write(home.resolve("bin dir/stint"));
    Map<String, String> env = new HashMap<>(env());
    env.put("STINT_COMMAND", stint.toString());
    assertThat(CliRun.run(home, env, "setup", "aws", "--yes", "--region", "eu-west-1").exitCode())
        .isZero();

    ProcessBuilder builder =
        new ProcessBuilder(
                aws.toString(),
                "configure",
                "export-credentials",
                "--profile",
                "aws-prod-admin",
                "--format",
                "process")
            .directory(home.toFile())
            .redirectError(home.resolve("aws-stderr.txt").toFile());
    Map<String, String> penv = builder.environment();
    penv.keySet()
        .removeIf(k -> k.startsWith("AWS_") || k.startsWith("STINT_") || k.startsWith("XDG_"));
    penv.put("HOME", home.toString());
    penv.put("AWS_CONFIG_FILE", config.toString());
    penv.put("AWS_SHARED_CREDENTIALS_FILE", home.resolve("no-credentials").toString());
    penv.put("AWS_EC2_METADATA_DISABLED", "true");
    penv.put("STINT_TOKEN", "oidc-token-1");
    Process process = builder.start();
    byte[] out = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue())
        .as("aws: %s", Files.readString(home.resolve("aws-stderr.txt")))
        .isZero();

    JsonNode exported = new ObjectMapper().readTree(new String(out, StandardCharsets.UTF_8));
    assertThat(exported.path("AccessKeyId").asText()).isEqualTo("ASIASETUP01");
    assertThat(exported.path("SecretAccessKey").asText()).isEqualTo("setup/secret");
    assertThat(Files.readString(config))
        .contains("credential_process = '" + stint + "' credentials aws-prod-admin");
    assertThat(api.received())
        .extracting(FakeStintApi.Received::body)
        .contains("{\"profile\":\"aws-prod-admin\"}");
  }

  /**
   * A narrowed profile answers only with a grant's values: it gets one profile per active grant the
   * person holds (every page of them), named by its values, or by their hash when a value is not a
   * plain word, each passing its values as quoted --param flags; one with no grant gets none and a
   * note saying what to do.
   */
  @Test
  void aNarrowedProfileGetsOneProfilePerActiveGrantPassingItsValues() throws Exception {
    api.answer(
        "/v1/profiles",
        "{\"profiles\":["
            + "{\"name\":\"aws-dev\",\"cloud\":\"aws\",\"parameters\":[]},"
            + "{\"name\":\"s3-read\",\"cloud\":\"aws\",\"region\":\"eu-west-1\","
            + "\"parameters\":[{\"name\":\"bucket\",\"pattern\":\"[a-z.-]+\"}]},"
            + "{\"name\":\"team-logs\",\"cloud\":\"aws\","
            + "\"parameters\":[{\"name\":\"bucket\",\"pattern\":\"[a-z-]+\"}]}]}");
    api.answer(
        "/v1/requests?mine=true&state=active",
        "{\"requests\":["
            + "{\"profile\":\"s3-read\",\"parameters\":{\"bucket\":\"team-a\"}},"
            + "{\"profile\":\"aws-dev\",\"parameters\":{}},"
            + "{\"profile\":\"s3-read\",\"parameters\":{\"bucket\":\"team-a\"}}],"
            + "\"next_cursor\":\"c2\"}");
    api.answer(
        "/v1/requests?mine=true&state=active&cursor=c2",
        "{\"requests\":["
            + "{\"profile\":\"s3-read\",\"parameters\":{\"bucket\":\"logs.eu\"}}],"
            + "\"next_cursor\":null}");

    CliRun run = setup("--yes");

    assertThat(run.exitCode()).as(run.err()).isZero();
    String hashed =
        NarrowedGrants.awsProfile("s3-read", new TreeMap<>(Map.of("bucket", "logs.eu")));
    assertThat(hashed).matches("s3-read\\.sha-[0-9a-f]{12}");
    assertThat(Files.readString(config))
        .contains(
            "[profile aws-dev]\ncredential_process = "
                + STINT
                + " credentials aws-dev --server "
                + api.uri()
                + "\n",
            "[profile s3-read.team-a]\ncredential_process = "
                + STINT
                + " credentials s3-read --param bucket=team-a --server "
                + api.uri()
                + "\nregion = eu-west-1\n",
            "[profile "
                + hashed
                + "]\ncredential_process = "
                + STINT
                + " credentials s3-read --param bucket=logs.eu --server "
                + api.uri()
                + "\n")
        .containsOnlyOnce("[profile s3-read.team-a]")
        .doesNotContain("[profile s3-read]", "team-logs");
    assertThat(run.out())
        .contains(
            "Skipped narrowed profile team-logs: you hold no active grant on it",
            "Wrote 3 profile(s)");
  }

  /** Each value is one shell word however it is spelt; the name is the same in any flag order. */
  @Test
  void narrowedNamesAndFlagsAreSafeForAnyValue() {
    TreeMap<String, String> values = new TreeMap<>(Map.of("prefix", "2026", "bucket", "team-a"));

    assertThat(NarrowedGrants.awsProfile("s3-read", values)).isEqualTo("s3-read.team-a.2026");
    assertThat(NarrowedGrants.awsProfile("p", new TreeMap<>(Map.of("b", "sha-0123456789ab"))))
        .as("never the shape of a hashed name")
        .startsWith("p.sha-")
        .isNotEqualTo("p.sha-0123456789ab");
    assertThat(NarrowedGrants.awsProfile("p", new TreeMap<>(Map.of("b", "x".repeat(80)))))
        .matches("p\\.sha-[0-9a-f]{12}");
    assertThat(ShellWords.paramFlags(new TreeMap<>(Map.of("b", "it's;$(x)"))))
        .isEqualTo(" --param 'b=it'\"'\"'s;$(x)'");
  }
}
