package dev.stint.finding.rules;

import dev.stint.policy.FindingRule;
import java.util.Set;

/**
 * The calls a burst counts. Secret reads: a value of Secrets Manager, an SSM parameter read with
 * decryption (the Stratus Red Team techniques {@code secretsmanager-retrieve-secrets}, {@code
 * secretsmanager-batch-retrieve-secrets} and {@code ssm-retrieve-securestring-parameters}), a KMS
 * decrypt the caller made itself (one a service made for the caller, as S3 does to read an
 * encrypted object, comes from the service's name, not an address), each only when it succeeded.
 * Refusals: calls the cloud refused for want of permission ({@link Observed#refused}).
 */
public enum BurstKind {
  SECRET,
  DENIED;

  private static final Set<String> SECRET_VALUES =
      Set.of("secretsmanager:GetSecretValue", "secretsmanager:BatchGetSecretValue");
  private static final Set<String> DECRYPTED_PARAMETERS =
      Set.of(
          "ssm:GetParameter",
          "ssm:GetParameters",
          "ssm:GetParametersByPath",
          "ssm:GetParameterHistory");
  private static final String KMS_DECRYPT = "kms:Decrypt";

  /** Whether this kind of burst counts {@code call}. */
  public boolean counts(Observed call) {
    return switch (this) {
      case DENIED -> call.refused();
      case SECRET -> call.succeeded() && secretRead(call);
    };
  }

  /** The rule that counts this kind. */
  public FindingRule rule() {
    return this == SECRET ? FindingRule.SECRETS_BURST : FindingRule.DENIED_BURST;
  }

  /** The kind's name as the store keeps it. */
  public String code() {
    return this == SECRET ? "secret" : "denied";
  }

  private static boolean secretRead(Observed call) {
    String action = call.action();
    return SECRET_VALUES.contains(action)
        || (DECRYPTED_PARAMETERS.contains(action) && call.withDecryption())
        || (action.equals(KMS_DECRYPT) && !call.byService());
  }
}
