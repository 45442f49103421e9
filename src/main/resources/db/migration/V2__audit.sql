-- Audit queries filter by actor, meaning the subject or the email; V1 indexed only the subject.
CREATE INDEX audit_events_actor_email ON audit_events (actor_email, occurred_at);
