package dev.stint.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The scripted agent's AWS tool: the real AWS CLI ({@code aws} on the PATH) at the demo's S3
 * stand-in, with the profile stint wrote, or with the session it kept from that profile, as a
 * long-running AWS SDK keeps what a credential_process answered until it expires. The kept session
 * stays in this process and the environments of the AWS CLI it starts: it is never printed.
 */
final class DemoAgentAws {
  /** How long a kept session may still be accepted after its lease ends: the deny's way to IAM. */
  private static final Duration REFUSED_WITHIN = Duration.ofMinutes(2);

  /** What an AWS CLI run printed, its errors among its output, and whether it succeeded. */
  record Result(boolean ok, String out) {}

  /** A session kept from the profile: three values no line ever shows. */
  static final class Kept {
    private final Map<String, String> variables;

    private Kept(Map<String, String> variables) {
      this.variables = variables;
    }

    @Override
    public String toString() {
      return "a kept session";
    }
  }

  private final String s3;
  private final Map<String, String> env;

  DemoAgentAws(String s3, Map<String, String> env) {
    this.s3 = s3;
    this.env = env;
  }

  /** The listing's arguments with {@code profile}: the line the agent prints and runs. */
  List<String> listArgs(String profile) {
    List<String> args = new ArrayList<>(List.of("s3", "ls", "s3://" + DemoBucket.NAME));
    args.addAll(List.of("--profile", profile));
    args.addAll(List.of("--region", DemoBucket.REGION, "--endpoint-url", s3));
    return args;
  }

  Result list(String profile) {
    return run(listArgs(profile), Map.of());
  }

  /** The session the AWS CLI resolves for {@code profile} (its credential_process's answer). */
  Kept keep(String profile) throws DemoAgentRefused {
    Result exported =
        run(
            List.of("configure", "export-credentials", "--profile", profile, "--format", "process"),
            Map.of());
    if (!exported.ok()) {
      throw new DemoAgentRefused("no session for " + profile + ": " + exported.out().strip());
    }
    try {
      JsonNode creds = new ObjectMapper().readTree(exported.out());
      return new Kept(
          Map.of(
              "AWS_ACCESS_KEY_ID", creds.path("AccessKeyId").asText(),
              "AWS_SECRET_ACCESS_KEY", creds.path("SecretAccessKey").asText(),
              "AWS_SESSION_TOKEN", creds.path("SessionToken").asText()));
    } catch (IOException e) {
      throw new DemoAgentRefused("the AWS CLI's answer for " + profile + " is not JSON");
    }
  }

  /**
   * The listing with {@code kept}, once a second until S3 refuses it, for at most {@link
   * #REFUSED_WITHIN}: the last answer.
   */
  Result untilRefused(Kept kept) throws InterruptedException {
    List<String> args =
        List.of(
            "s3",
            "ls",
            "s3://" + DemoBucket.NAME,
            "--region",
            DemoBucket.REGION,
            "--endpoint-url",
            s3);
    Instant until = Instant.now().plus(REFUSED_WITHIN);
    Result last = run(args, kept.variables);
    while (last.ok() && Instant.now().isBefore(until)) {
      Thread.sleep(1000);
      last = run(args, kept.variables);
    }
    return last;
  }

  /** {@code aws args}: its output and errors together; a failure to start is a failed result. */
  private Result run(List<String> args, Map<String, String> session) {
    List<String> command = new ArrayList<>(List.of("aws"));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().putAll(env);
    if (!session.isEmpty()) {
      builder.environment().remove("AWS_PROFILE");
      builder.environment().putAll(session);
    }
    try {
      Process aws = builder.start();
      aws.getOutputStream().close();
      String printed = new String(aws.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return new Result(aws.waitFor() == 0, printed);
    } catch (IOException e) {
      return new Result(false, "cannot run the AWS CLI (aws on the PATH): " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(false, "interrupted");
    }
  }

  /** {@code text}'s lines, indented under the agent's. */
  static String indented(String text) {
    StringBuilder out = new StringBuilder();
    text.lines()
        .filter(l -> !l.isBlank())
        .forEach(l -> out.append("       ").append(l).append('\n'));
    return out.toString();
  }

  /** The last line {@code text} holds that is not blank (an AWS CLI error's own line). */
  static String lastLine(String text) {
    List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
  }
}
