package dev.stint.audit;

/** The read side of the audit log, as the HTTP layer needs it. */
public record AuditViews(AuditReader reader, AuditVerification verification, LiveAudit live) {

  /** Verification by the chain alone, without checkpoints. */
  public AuditViews(AuditReader reader, ChainVerifier verifier, LiveAudit live) {
    this(reader, AuditVerification.chainOnly(verifier), live);
  }
}
