-- What a kept call's request parameters said beyond its name (mint.ActivityLookup.Parameters): the
-- role it named for a service (a create handing a role over: iam:PassRole, which CloudTrail never
-- logs as a call of its own), and whether it asked for a decrypted value (SSM's parameter reads).
-- Kept with the call so that what reads the calls as they are kept (the findings, V50) judges
-- them as the log recorded them. Calls kept before this have neither.
ALTER TABLE activity_events
    ADD COLUMN named_role      text,
    ADD COLUMN with_decryption boolean NOT NULL DEFAULT false;
