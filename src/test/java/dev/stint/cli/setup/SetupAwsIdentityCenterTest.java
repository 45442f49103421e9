package dev.stint.cli.setup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.testing.CliRun;
import dev.stint.testing.FakeStintApi;
import dev.stint.testing.LocalTools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stint setup aws} for IAM Identity Center profiles: one {@code [sso-session stint]} for the
 * server's access portal and a profile per permission set beside the unchanged {@code
 * credential_process} profiles; a profile the server cannot describe is skipped with a note; the
 * AWS CLI v2 reads what was written.
 */
class SetupAwsIdentityCenterTest {
  private static final String STINT = "/opt/stint/bin/stint";
  private static final String START = "https://d-0123456789.awsapps.com/start";
  @TempDir Path home;
  private FakeStintApi api;
  private Path config;

  @BeforeEach
  void start() throws IOException {
    api = new FakeStintApi();
    config = home.resolve(".aws/config");
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private static String ic(String startUrl, String name) {
    return "{\"name\":\"prod-readonly\",\"cloud\":\"aws\",\"region\":\"eu-west-1\","
        + "\"identity_center\":{\"account_id\":\"444455556666\","
        + "\"permission_set_arn\":\"arn:aws:sso:::permissionSet/ssoins-0123456789abcdef/"
        + "ps-0123456789abcdef\",\"permission_set_name\":"
        + (name == null ? "null" : "\"" + name + "\"")
        + ",\"start_url\":"
        + (startUrl == null ? "null" : "\"" + startUrl + "\"")
        + ",\"sso_region\":"
        + (startUrl == null ? "null" : "\"us-east-2\"")
        + "}}";
  }

  private CliRun setup(String profile) {
    api.answer(
        "/v1/profiles",
        "{\"profiles\":[{\"name\":\"aws-dev\",\"cloud\":\"aws\",\"identity_center\":null},"
            + profile
            + "]}");
    return CliRun.run(
        home,
        Map.of("STINT_SERVER", api.uri().toString(), "STINT_TOKEN", "t", "STINT_COMMAND", STINT),
        "setup",
        "aws",
        "--yes");
  }

  @Test
  void anIdentityCenterProfileSignsInThroughTheStintSession() throws Exception {
    CliRun run = setup(ic(START, "ReadOnly"));

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(Files.readString(config))
        .contains(
            "\n[profile aws-dev]\ncredential_process = "
                + STINT
                + " credentials aws-dev --server "
                + api.uri()
                + "\n\n[sso-session stint]\n"
                + "sso_start_url = "
                + START
                + "\nsso_region = us-east-2\n"
                + "sso_registration_scopes = sso:account:access\n"
                + "\n[profile prod-readonly]\nsso_session = stint\n"
                + "sso_account_id = 444455556666\nsso_role_name = ReadOnly\nregion = eu-west-1\n"
                + "# <<< stint managed profiles\n");
    assertThat(run.out())
        .contains("Wrote 2 profile(s)")
        .contains("aws sso login --sso-session stint");
  }

  @Test
  void withoutAPortalOrAPermissionSetNameTheProfileIsSkippedWithANote() throws Exception {
    CliRun noPortal = setup(ic(null, "ReadOnly"));
    assertThat(noPortal.exitCode()).as(noPortal.err()).isZero();
    assertThat(noPortal.out())
        .contains("Skipped IAM Identity Center profile prod-readonly")
        .contains("aws.identity_center.start_url");
    assertThat(Files.readString(config)).doesNotContain("sso").contains("[profile aws-dev]");

    CliRun noName = setup(ic(START, null));
    assertThat(noName.out()).contains("its policy gives no permission_set_name");
    assertThat(Files.readString(config)).doesNotContain("sso");
  }

  @Test
  void valuesThatCannotBeWrittenSafelyAreNotWritten() throws Exception {
    for (String[] bad :
        new String[][] {
          {"http://d-0123456789.awsapps.com/start", "ReadOnly"},
          {START + "\\nregion = evil", "ReadOnly"},
          {START, "Read Only"}
        }) {
      CliRun run = setup(ic(bad[0], bad[1]));
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(run.out()).contains("cannot be written safely");
      assertThat(Files.readString(config)).doesNotContain("sso").doesNotContain("evil");
    }
  }

  @Test
  void refusesToShadowTheUsersOwnStintSession() throws Exception {
    Files.createDirectories(config.getParent());
    Files.writeString(config, "[sso-session stint]\nsso_start_url = https://other/start\n");
    CliRun run = setup(ic(START, "ReadOnly"));
    assertThat(run.exitCode()).isNotZero();
    assertThat(run.err()).contains("sso-session stint is already defined outside stint's block");
    assertThat(Files.readString(config))
        .isEqualTo("[sso-session stint]\nsso_start_url = https://other/start\n");
  }

  @Test
  void theAwsCliReadsTheWrittenSsoProfile() throws Exception {
    Path aws = LocalTools.awsCli();
    assertThat(setup(ic(START, "ReadOnly")).exitCode()).isZero();

    assertThat(awsCli(aws, "configure", "list-profiles")).contains("prod-readonly", "aws-dev");
    assertThat(awsCli(aws, "configure", "get", "sso_session", "--profile", "prod-readonly"))
        .isEqualTo("stint");
    assertThat(awsCli(aws, "configure", "get", "sso_account_id", "--profile", "prod-readonly"))
        .isEqualTo("444455556666");
    assertThat(awsCli(aws, "configure", "get", "sso_role_name", "--profile", "prod-readonly"))
        .isEqualTo("ReadOnly");
    assertThat(awsCli(aws, "configure", "get", "region", "--profile", "prod-readonly"))
        .isEqualTo("eu-west-1");
  }

  private String awsCli(Path aws, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(aws.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(home.toFile())
            .redirectError(home.resolve("aws-stderr.txt").toFile());
    Map<String, String> penv = builder.environment();
    penv.keySet()
        .removeIf(k -> k.startsWith("AWS_") || k.startsWith("STINT_") || k.startsWith("XDG_"));
    penv.put("HOME", home.toString());
    penv.put("AWS_CONFIG_FILE", config.toString());
    penv.put("AWS_SHARED_CREDENTIALS_FILE", home.resolve("no-credentials").toString());
    penv.put("AWS_EC2_METADATA_DISABLED", "true");
    Process process = builder.start();
    byte[] out = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue())
        .as("aws: %s", Files.readString(home.resolve("aws-stderr.txt")))
        .isZero();
    return new String(out, StandardCharsets.UTF_8).strip();
  }
}
