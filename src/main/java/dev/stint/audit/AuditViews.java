package dev.stint.audit;

/** The read side of the audit log, as the HTTP layer needs it. */
public record AuditViews(AuditReader reader, ChainVerifier verifier, LiveAudit live) {}
