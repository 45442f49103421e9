-- The ledger's rows are written by the audit log in the credential.issued event's transaction,
-- through the hook audit defines (audit.EventRows), and every release since V20's names the
-- event's credential_id. V20's trigger read an event naming none into the ledger: credentials
-- that replicas of a release without the ledger issued during the rolling update to V20's. It has
-- had nothing to do since, and it let the audit table write the ledger's. Dropped with its
-- functions; an upgrade from a release without the ledger passes through one with V20 to V50
-- first (docs/operations.md, Upgrading).
DROP TRIGGER IF EXISTS audit_events_credentials_from_issued ON audit_events;
DROP FUNCTION IF EXISTS credentials_from_issued_events();
DROP FUNCTION IF EXISTS credentials_from_issued(audit_events[]);
