-- A revocation records the cloud that ends its grant's sessions on its roles, as it records the
-- roles: what a revocation did is read from what it recorded, never inferred from the code of the
-- day. Until now only AWS could end a session, so every revocation that named a role was AWS's.
-- A replica of an earlier release, during a rolling upgrade, leaves it null: the status of such a
-- revocation names a cloud only while the grant has credentials still valid.
ALTER TABLE revocations ADD COLUMN cloud text;
UPDATE revocations SET cloud = 'aws' WHERE cardinality(roles) > 0;
