-- A revocation records the cloud that ends its grant's sessions on its roles, as it records the
-- roles: what a revocation did is read from what it recorded, never inferred from the code of the
-- day. Until now only AWS could end a session, so every revocation that named a role was AWS's.
-- A replica of an earlier release leaves it null; the status then names the cloud of the grant's
-- credentials still valid, as it did before any revocation recorded one.
ALTER TABLE revocations ADD COLUMN cloud text;
UPDATE revocations SET cloud = 'aws' WHERE cardinality(roles) > 0;
