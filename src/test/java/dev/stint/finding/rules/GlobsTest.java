package dev.stint.finding.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The action lists' matching: literals exactly, a {@code *} standing for letters only. */
class GlobsTest {
  final Globs globs =
      new Globs(List.of("iam:CreateAccessKey", "iam:Put*Policy", "sts:Get*", "cloudtrail:Stop*"));

  @Test
  void aLiteralMatchesItselfOnly() {
    assertThat(globs.matches("iam:CreateAccessKey")).isTrue();
    assertThat(globs.matches("iam:CreateAccessKeys")).isFalse();
    assertThat(globs.matches("iam:createaccesskey"))
        .as("IAM actions are matched by case")
        .isFalse();
    assertThat(globs.matches("xiam:CreateAccessKey")).isFalse();
  }

  @Test
  void aStarStandsForLettersAndNothingElse() {
    assertThat(globs.matches("iam:PutRolePolicy")).isTrue();
    assertThat(globs.matches("iam:PutPolicy")).as("a star may stand for nothing").isTrue();
    assertThat(globs.matches("sts:GetSessionToken")).isTrue();
    assertThat(globs.matches("cloudtrail:StopLogging")).isTrue();
    assertThat(globs.matches("iam:Put2Policy")).isFalse();
    assertThat(globs.matches("iam:Put:Policy")).isFalse();
    assertThat(globs.matches("iam:PutRolePolicyX")).as("the whole action must match").isFalse();
    assertThat(globs.matches("sts:AssumeRole")).isFalse();
  }

  @Test
  void whatAGlobSaysBesidesItsStarIsLiteral() {
    Globs dotted = new Globs(List.of("s3:Get.Object*", "a(b)c"));
    assertThat(dotted.matches("s3:Get.ObjectAcl")).isTrue();
    assertThat(dotted.matches("s3:GetXObjectAcl")).isFalse();
    assertThat(dotted.matches("a(b)c")).isTrue();
    assertThat(dotted.matches("abc")).isFalse();
  }

  @Test
  void anEmptyListMatchesNothing() {
    assertThat(new Globs(List.of()).matches("iam:CreateAccessKey")).isFalse();
    assertThat(new Globs(List.of("*")).matches("")).isTrue();
    assertThat(new Globs(List.of("iam:A")).matches("")).isFalse();
  }
}
