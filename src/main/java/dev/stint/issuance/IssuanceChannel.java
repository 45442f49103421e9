package dev.stint.issuance;

/** Who is asking: a person (for credentials or an AWS console link), or a CI job. */
public enum IssuanceChannel {
  CREDENTIALS,
  CONSOLE,
  CI
}
